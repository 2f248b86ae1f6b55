import tensorflow as tf


# v1
def similarity(a, b):
    a_norm = tf.sqrt(tf.reduce_sum(tf.square(a), axis = 1, keep_dims=True)) + 1e-10
    b_norm = tf.sqrt(tf.reduce_sum(tf.square(b), axis = 1, keep_dims=True)) + 1e-10
    a1 = a / a_norm
    b1 = b / b_norm
    dot = tf.reduce_sum(
        a1 * b1,
        axis=1,
        keepdims=True
    )
    return dot
