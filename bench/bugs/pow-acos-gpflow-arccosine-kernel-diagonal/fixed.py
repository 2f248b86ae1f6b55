import numpy as np
import tensorflow as tf


class ArcCosine(Kern):
    """The Arc-cosine family of kernels which mimics the computation in neural networks."""

    def _weighted_product(self, X, X2=None):
        if X2 is None:
            return tf.reduce_sum(self.variance * tf.square(X), axis=1) + self.bias_variance
        return tf.matmul((self.variance * X), X2, transpose_b=True) + self.bias_variance

    def _J(self, theta):
        if self.order == 0:
            return np.pi - theta
        elif self.order == 1:
            return tf.sin(theta) + (np.pi - theta) * tf.cos(theta)
        else:
            return 3. * tf.sin(theta) * tf.cos(theta) + (np.pi - theta) * (1. + 2. * tf.cos(theta) ** 2)

    def K(self, X, X2=None, presliced=False):
        X_denominator = tf.sqrt(self._weighted_product(X))
        if X2 is None:
            X2 = X
            X2_denominator = X_denominator
        else:
            X2_denominator = tf.sqrt(self._weighted_product(X2))

        numerator = self._weighted_product(X, X2)
        cos_theta = numerator / X_denominator[:, None] / X2_denominator[None, :]
        jitter = 1e-15
        theta = tf.acos(jitter + (1 - 2 * jitter) * cos_theta)

        return self.variance * (1. / np.pi) * self._J(theta) * \
            X_denominator[:, None] ** self.order * \
            X2_denominator[None, :] ** self.order
