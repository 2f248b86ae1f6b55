import numpy as np
import tensorflow as tf


def attention_softmax3d(values):
    original_shape = tf.shape(values)
    num_units = original_shape[2]
    reshaped_values = tf.reshape(values, tf.stack([-1, num_units]))
    softmaxes = tf.nn.softmax(reshaped_values)
    return tf.reshape(softmaxes, original_shape)


def mask_3d(values, sentence_sizes, mask_value, dimension=2):
    if dimension == 1:
        values = tf.transpose(values, [0, 2, 1])
    time_steps1 = tf.shape(values)[1]
    time_steps2 = tf.shape(values)[2]

    ones = tf.ones_like(values, dtype=tf.int32)
    pad_values = mask_value * tf.cast(ones, tf.float32)
    mask = tf.sequence_mask(sentence_sizes, time_steps2)

    mask3d = tf.expand_dims(mask, 1)
    mask3d = tf.tile(mask3d, (1, time_steps1, 1))

    masked = tf.where(mask3d, values, pad_values)

    if dimension == 1:
        masked = tf.transpose(masked, [0, 2, 1])
    return masked


class DecomposableNLIModel(object):
    def attend(self, sent1, sent2):
        with tf.variable_scope('inter-attention') as self.attend_scope:
            num_units = self.representation_size
            repr1 = self._transformation_attend(sent1, num_units, self.sentence1_size)
            repr2 = self._transformation_attend(sent2, num_units, self.sentence2_size, True)
            repr2 = tf.transpose(repr2, [0, 2, 1])

            self.raw_attentions = tf.matmul(repr1, repr2)

            masked = mask_3d(self.raw_attentions, self.sentence2_size, -1e18)
            att_sent1 = attention_softmax3d(masked)

            att_transposed = tf.transpose(self.raw_attentions, [0, 2, 1])
            masked = mask_3d(att_transposed, self.sentence1_size, -1e18)
            att_sent2 = attention_softmax3d(masked)

            alpha = tf.matmul(att_sent2, sent1, name='alpha')
            beta = tf.matmul(att_sent1, sent2, name='beta')
        return alpha, beta
