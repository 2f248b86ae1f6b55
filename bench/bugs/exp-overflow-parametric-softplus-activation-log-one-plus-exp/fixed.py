import tensorflow as tf
from tensorflow.keras.layers import Layer


class ParametricActivationFixed1_Electronic(Layer):
    def __init__(self, mul_init=1.0, **kwargs):
        super().__init__(**kwargs)
        self.mul_init = mul_init

    def build(self, input_shape):
        self.x1 = self.add_weight(name='x1', shape=(), initializer='ones', trainable=True)
        self.x2 = self.add_weight(name='x2', shape=(), initializer='zeros', trainable=True)
        self.x3 = self.add_weight(name='x3', shape=(), initializer='ones', trainable=True)

    def call(self, inputs):
        trnfr_func = self.x3 * tf.math.softplus(self.x1 * (inputs - self.x2))
        return 1 * ((trnfr_func) * self.mul_init)
