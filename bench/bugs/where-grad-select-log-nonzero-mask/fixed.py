import tensorflow as tf


def masked_log(logarg):
    non_zero = tf.not_equal(logarg, 0.)
    shape = tf.shape(non_zero, out_type=tf.int64)
    logarg = tf.boolean_mask(logarg, non_zero)
    log = tf.log(logarg)
    idx = tf.where(non_zero)
    log = tf.scatter_nd(idx, log, shape)
    return log
