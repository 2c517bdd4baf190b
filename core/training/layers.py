"""Custom Keras layers that must survive saving and ONNX export."""
from __future__ import annotations

import keras

IMAGENET_BGR_MEANS = (103.939, 116.779, 123.68)


@keras.saving.register_keras_serializable(package="convnet_classroom")
class CaffePreprocess(keras.layers.Layer):
    """keras.applications.vgg16.preprocess_input inside the graph: RGB->BGR, minus the
    ImageNet channel means, so the exported model takes raw 0-255 RGB."""

    def call(self, inputs):
        bgr = keras.ops.flip(inputs, axis=-1)
        return bgr - keras.ops.convert_to_tensor(IMAGENET_BGR_MEANS, dtype=inputs.dtype)
