import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import AveragePooling2D

from deel.lip.layers import LipschitzLayer


class ScaledL2NormPooling2D(AveragePooling2D, LipschitzLayer):

    def __init__(self,
                 pool_size=(2, 2),
                 strides=None,
                 padding='valid',
                 data_format=None,
                 k_coef_lip=1.0,
                 eps_grad_sqrt=1e-6,
                 **kwargs):
        """
        Average pooling operation for spatial data, with a lipschitz bound. This pooling operation is norm preserving
        (aka gradient=1 almost everywhere).
        """
        if not ((strides == pool_size) or (strides is None)):
            raise RuntimeError("stride must be equal to pool_size")
        if padding != "valid":
            raise RuntimeError("NormalizedConv only support padding='valid'")
        if eps_grad_sqrt < 0.0:
            raise RuntimeError("eps_grad_sqrt must be positive")
        super(ScaledL2NormPooling2D, self).__init__(pool_size=pool_size, strides=pool_size, padding=padding,
                                                    data_format=data_format, **kwargs)
        self.set_klip_factor(k_coef_lip)
        self.eps_grad_sqrt = eps_grad_sqrt
        self._kwargs = kwargs

    def build(self, input_shape):
        super(AveragePooling2D, self).build(input_shape)
        self._init_lip_coef(input_shape)
        self.built = True

    def _compute_lip_coef(self, input_shape=None):
        return np.sqrt(np.prod(np.asarray(self.pool_size)))

    @staticmethod
    def _sqrt(eps_grad_sqrt):
        @tf.custom_gradient
        def sqrt_op(x):
            sqrtx = tf.sqrt(x)

            def grad(dy):
                return dy / (2 * tf.sqrt(x + eps_grad_sqrt))

            return sqrtx, grad

        return sqrt_op

    @tf.function
    def call(self, x, training=None):
        return ScaledL2NormPooling2D._sqrt(self.eps_grad_sqrt)(
            super(AveragePooling2D, self).call(tf.square(x))) * self._get_coef()

    def get_config(self):
        config = {
            'k_coef_lip': self.k_coef_lip,
            'eps_grad_sqrt': self.eps_grad_sqrt,
        }
        base_config = super(AveragePooling2D, self).get_config()
        return dict(list(base_config.items()) + list(config.items()))
