import tensorflow as tf
from tensorflow.keras.layers import Layer


class HeadLayer(Layer):
    def call(self, *args, **kwargs):
        return self.get_output(*args)


class TripletLayer(HeadLayer):
    arity = 3

    def __init__(self, margin: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self._margin = margin

    def get_output(self, anchor, positive, negative):
        # Seems that tf.norm suffers from numeric instability as explained here
        # https://github.com/tensorflow/tensorflow/issues/12071
        dist_pos = tf.reduce_sum(tf.math.squared_difference(anchor, positive), axis=-1)
        dist_neg = tf.reduce_sum(tf.math.squared_difference(anchor, negative), axis=-1)
        return dist_pos, dist_neg

    def loss_fn(self, pred_val, target_val):
        dist_pos, dist_neg = pred_val
        return tf.reduce_mean(tf.nn.relu(dist_pos - dist_neg + self._margin))
