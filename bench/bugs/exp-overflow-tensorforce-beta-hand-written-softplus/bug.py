from math import log
import tensorflow as tf

epsilon = 1e-6


class Beta(object):
    def __init__(self, shape, min_value, max_value, alpha_layer, beta_layer):
        self.shape = shape
        self.min_value = min_value
        self.max_value = max_value
        self.alpha = alpha_layer
        self.beta = beta_layer

    def tf_parameterize(self, x):
        log_eps = log(epsilon)

        alpha = self.alpha(x)
        alpha = tf.log(tf.exp(alpha) + 1.0) + 1.0

        beta = self.beta(x)
        beta = tf.log(tf.exp(beta) + 1.0) + 1.0

        shape = (-1,) + self.shape
        alpha = tf.reshape(alpha, shape)
        beta = tf.reshape(beta, shape)
        alpha_beta = tf.maximum(alpha + beta, epsilon)
        log_norm = tf.lgamma(alpha) + tf.lgamma(beta) - tf.lgamma(alpha_beta)
        return alpha, beta, alpha_beta, log_norm
