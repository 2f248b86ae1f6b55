import numpy as np
import tensorflow as tf


@tf.function
def compute_logprob(mean, stddev, action, epsilon: float = 1e-3):
    """
    log π(a|s) when the policy is normally distributed
    -0.5 * log(2 pi) - 0.5 * log(var^2) - (x - mean)^2 / (2 var^2)
    -0.5 * log(2 pi) - log(var) - 0.5 * ((x - mean) / var)^2
    """
    stddev = tf.clip_by_value(stddev, epsilon, np.inf)  # log(0)回避用
    return -0.5 * np.log(2 * np.pi) - tf.math.log(stddev) - 0.5 * tf.square((action - mean) / stddev)


@tf.function
def compute_logprob_sgp(mean, stddev, action, epsilon: float = 1e-10):
    """
    Squashed Gaussian Policy log π(a|s)
    Paper: https://arxiv.org/abs/1801.01290
    """
    logmu = compute_logprob(mean, stddev, action, epsilon)
    logpi = 1.0 - tf.tanh(action) ** 2
    logpi = tf.clip_by_value(logpi, epsilon, 1.0)  # log(0)回避用
    return logmu - tf.reduce_sum(
        tf.math.log(logpi),
        axis=-1,
        keepdims=True,
    )


@tf.function
def compute_kl_divergence(probs1, probs2, epsilon: float = 1e-10):
    """Kullback-Leibler divergence"""
    probs1 = tf.clip_by_value(probs1, epsilon, 1)
    probs2 = tf.clip_by_value(probs2, epsilon, 1)
    return tf.reduce_sum(probs1 * tf.math.log(probs1 / probs2), axis=1, keepdims=True)
