import tensorflow as tf


def cosine(xx, yy):
    x_norm = tf.sqrt(tf.reduce_sum(tf.square(xx), axis=1))
    y_norm = tf.sqrt(tf.reduce_sum(tf.square(yy), axis=1))
    z = tf.reduce_sum(xx * yy, axis=1)
    m = x_norm * y_norm + 1e-9
    cosine = z / m
    return cosine
