import tensorflow as tf


# v2
def similarity(a, b):
    a1 = tf.nn.l2_normalize(a, dim = 0)
    b1 = tf.nn.l2_normalize(b, dim = 0)
    dot = tf.reduce_sum(
        a1 * b1,
        axis=1,
        keepdims=True
    )
    return dot
