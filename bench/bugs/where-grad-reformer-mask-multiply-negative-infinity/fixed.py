import tensorflow as tf
from tensorflow.keras.layers import Layer


class TFLSHAttention(Layer):
    def __init__(self, bucket_size=64, n_hashes=8, causal=False, **kwargs):
        super(TFLSHAttention, self).__init__(**kwargs)
        self.bucket_size = bucket_size
        self.n_hashes = n_hashes
        self.causal = causal

    def call(self, qk, v, mask):
        dots = tf.einsum('bhie,bhje->bhij', qk, qk) * (tf.cast(tf.shape(qk)[-1], tf.float32) ** -0.5)
        mask = tf.cast(mask, tf.float32)
        dots = tf.math.multiply(dots, mask) + (1 - mask) * -1e9
        dots = dots - tf.reduce_logsumexp(dots, axis=-1, keepdims=True)
        attn = tf.exp(dots)
        return tf.einsum('bhij,bhje->bhie', attn, v)
