from keras import backend as K
from keras.engine import Layer


class BatchNormalization(Layer):
    def __init__(self, epsilon=1e-6, mode=0, axis=-1, **kwargs):
        self.epsilon = epsilon
        self.mode = mode
        self.axis = axis
        super(BatchNormalization, self).__init__(**kwargs)

    def call(self, x, mask=None):
        if self.mode == 1:
            # sample-wise normalization
            m = K.mean(x, axis=-1, keepdims=True)
            std = K.sqrt(K.var(x, axis=-1, keepdims=True) + self.epsilon)
            x_normed = (x - m) / (std + self.epsilon)
            out = self.gamma * x_normed + self.beta
        return out
