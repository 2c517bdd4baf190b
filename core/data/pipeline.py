"""The training input pipeline: tf.data over in-memory arrays (TensorFlow, imported lazily)."""
from __future__ import annotations


def dataset(x, y, batch_size: int, shuffle: bool, augmentation=None, seed: int = 0, repeat: bool = False):
    """A tf.data pipeline over in-memory arrays: shuffle, batch, augment (training only),
    prefetch. Augmentation runs here, not in the model, so it never reaches the ONNX graph; each
    batch gets its own seed pair from a stream drawn anew every pass. `repeat` streams passes
    end to end, as the book's generators do (fit's steps_per_epoch then says what an epoch is)."""
    import tensorflow as tf

    from core.data.augment import augment

    ds = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if repeat:
        ds = ds.repeat()
    ds = ds.map(lambda images, labels: (tf.cast(images, tf.float32), labels), num_parallel_calls=tf.data.AUTOTUNE)
    if augmentation is not None:
        seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
        ds = tf.data.Dataset.zip(ds, seeds).map(
            lambda batch, pair: (augment(batch[0], augmentation, pair), batch[1]), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)
