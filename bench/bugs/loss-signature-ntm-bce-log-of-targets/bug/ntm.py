import tensorflow as tf

from ops import binary_cross_entropy_with_logits


class NTM(object):
    def __init__(self, cell, seq_length, output_dim):
        self.cell = cell
        self.true_outputs = [tf.placeholder(tf.float32, [output_dim], name='true_output_%s' % idx)
                             for idx in range(seq_length)]
        self.outputs = []

    def build_loss(self, seq_length):
        output_logits = tf.stack(self.outputs[:seq_length])
        true_outputs = tf.stack(self.true_outputs[:seq_length])
        self.loss = binary_cross_entropy_with_logits(output_logits, true_outputs)
        return self.loss
