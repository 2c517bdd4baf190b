"""The training input pipeline over in-memory arrays, for the Keras backend in use: tf.data under
TensorFlow (parallel map and prefetch, the faster path there), a `keras.utils.PyDataset` of
numpy batches under JAX or PyTorch (which have no tf.data). Both shuffle, batch and augment
alike, and the same seed pair draws the same matrices (core.data.augment) on every backend."""
from __future__ import annotations

import math

import numpy as np


def dataset(x, y, batch_size: int, shuffle: bool, augmentation=None, seed: int = 0, repeat: bool = False):
    """Shuffle, batch, augment (training only). Augmentation runs here, not in the model, so it
    never reaches the ONNX graph; each batch gets its own seed pair, drawn anew every pass.
    `repeat` streams passes end to end, as the book's generators do (fit's steps_per_epoch then
    says what an epoch is)."""
    import keras

    if keras.backend.backend() == "tensorflow":
        return _tf_dataset(x, y, batch_size, shuffle, augmentation, seed, repeat)
    return batches(x, y, batch_size, shuffle, augmentation, seed, repeat)


def _tf_dataset(x, y, batch_size, shuffle, augmentation, seed, repeat):
    import tensorflow as tf

    from core.data.augment import apply, draw, transforms

    ds = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if repeat:
        ds = ds.repeat()
    ds = ds.map(lambda images, labels: (tf.cast(images, tf.float32), labels), num_parallel_calls=tf.data.AUTOTUNE)
    if augmentation is not None:
        height, width = x.shape[1], x.shape[2]

        def matrices(pair, count):  # numpy: the draw that every backend and the preview share
            return transforms(**draw(augmentation, count, height, width, pair), height=height, width=width)

        def augmented(batch, pair):
            images, labels = batch
            m = tf.numpy_function(matrices, [pair, tf.shape(images)[0]], tf.float32, stateful=False)
            m.set_shape([None, 8])
            return apply(images, m, augmentation.fill_mode), labels

        seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
        ds = tf.data.Dataset.zip(ds, seeds).map(augmented, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)


def batches(x, y, batch_size: int, shuffle: bool, augmentation=None, seed: int = 0, repeat: bool = False):
    """The backend-neutral stream: a keras.utils.PyDataset whose batch `i` is fixed by (seed, i)
    alone: pass i // per_pass in a seeded order, augmented from the seed pair (seed, i), so a
    run is reproducible and fit's epochs stream on (endless when `repeat`). The resampling runs
    in the backend's op, on its device."""
    import keras

    from core.data.augment import augment

    per_pass = math.ceil(len(x) / batch_size)

    class Batches(keras.utils.PyDataset):
        @property
        def num_batches(self):
            return None if repeat else per_pass

        def __len__(self):
            return per_pass

        def __getitem__(self, index):
            step, index = index, index % per_pass
            order = np.random.default_rng([seed, step // per_pass]).permutation(len(x)) if shuffle \
                else np.arange(len(x))
            chosen = order[index * batch_size:(index + 1) * batch_size]
            images = x[chosen].astype(np.float32)
            if augmentation is not None:
                images = augment(images, augmentation, (seed, step))
            return images, y[chosen]

    return Batches()
