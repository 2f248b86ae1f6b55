from keras import backend as K
from keras.engine.topology import Layer


class Merge(Layer):
    def __init__(self, mode='sum', dot_axes=-1, **kwargs):
        self.mode = mode
        self.dot_axes = dot_axes
        super(Merge, self).__init__(**kwargs)

    def call(self, inputs, mask=None):
        if self.mode == 'sum':
            return inputs[0] + inputs[1]
        elif self.mode == 'cos':
            l1 = inputs[0]
            l2 = inputs[1]
            denominator = K.sqrt(K.batch_dot(l1, l1, self.dot_axes) *
                                 K.batch_dot(l2, l2, self.dot_axes))
            output = K.batch_dot(l1, l2, self.dot_axes) / denominator
            output = K.expand_dims(output, 1)
            return output
