import tensorflow as tf


def linear_to_srgb(y):
    y = tf.minimum(tf.maximum(y, 0.0), 1.0)
    gamma = tf.constant(1.0/2.4, tf.float32)
    y = tf.pow(y, gamma)
    return y
