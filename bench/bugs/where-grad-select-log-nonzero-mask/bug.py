import tensorflow as tf


def masked_log(logarg):
    non_zero = tf.not_equal(logarg, 0.)
    log = tf.where(non_zero, tf.log(logarg), tf.zeros_like(logarg))
    return log
