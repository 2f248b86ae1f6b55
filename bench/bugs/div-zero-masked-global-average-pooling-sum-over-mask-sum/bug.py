import tensorflow as tf
from tensorflow.keras import backend


class GlobalAveragePooling1D(tf.keras.layers.Layer):
    def __init__(self, data_format="channels_last", keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format
        self.keepdims = keepdims
        self.supports_masking = True

    def call(self, inputs, mask=None):
        steps_axis = 1 if self.data_format == "channels_last" else 2
        if mask is not None:
            mask = tf.cast(mask, inputs[0].dtype)
            mask = tf.expand_dims(mask, 2 if self.data_format == "channels_last" else 1)
            inputs *= mask
            return backend.sum(inputs, axis=steps_axis, keepdims=self.keepdims) / tf.reduce_sum(
                mask, axis=steps_axis, keepdims=self.keepdims)
        else:
            return backend.mean(inputs, axis=steps_axis, keepdims=self.keepdims)
