import tensorflow as tf

from layers import pixel_wise_softmax_2


class Unet(object):
    def __init__(self, logits, n_class=2):
        self.n_class = n_class
        self.y = tf.placeholder("float", shape=[None, None, None, n_class])
        self.cost = self._get_cost(logits)

    def _get_cost(self, logits):
        eps = 1e-5
        prediction = pixel_wise_softmax_2(logits)
        intersection = tf.reduce_sum(prediction * self.y)
        union = eps + tf.reduce_sum(prediction) + tf.reduce_sum(self.y)
        loss = -(2 * intersection / (union))
        return loss
