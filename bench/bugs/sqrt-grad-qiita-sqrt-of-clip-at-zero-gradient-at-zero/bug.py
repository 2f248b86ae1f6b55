import numpy as np
import tensorflow as tf


def safe_sqrt(x):
    # negative inputs are clipped to 0 so the forward pass never sees sqrt(-x)
    return tf.sqrt(tf.clip_by_value(x, 0, np.inf))


def distance(a, b):
    return safe_sqrt(tf.reduce_sum(tf.square(a - b), axis=-1))
