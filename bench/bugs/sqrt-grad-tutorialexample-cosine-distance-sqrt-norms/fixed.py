import tensorflow as tf


def cosine(xx, yy):
    x_norm = tf.nn.l2_normalize(xx, axis=1)
    y_norm = tf.nn.l2_normalize(yy, axis=1)
    cos = tf.reduce_sum(x_norm * y_norm, axis=1)
    cosx = tf.clip_by_value(cos, -1.0, 1.0)
    return cosx
