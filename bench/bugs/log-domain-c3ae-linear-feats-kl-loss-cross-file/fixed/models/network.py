import tensorflow as tf
import tensorflow.contrib.slim as slim


def fully_connected(input, c_outputs, name):
    output = slim.fully_connected(input,
                                  c_outputs,
                                  weights_regularizer=slim.l1_regularizer(0.00001),
                                  weights_initializer=slim.variance_scaling_initializer(),
                                  normalizer_fn=None,
                                  activation_fn=None,
                                  scope=name)
    return output


class Network(object):
    def inference(self, mode, inputs, scope='C3AE'):
        with tf.variable_scope(scope, reuse=False):
            conv5 = slim.conv2d(inputs, 32, [1, 1], 1, scope='conv_5')
            avg5 = tf.reduce_mean(conv5, [1, 2], keepdims=True, name='avg_pool')
            concat = tf.reshape(avg5, [-1, avg5.get_shape()[3] * 3], 'reshape')
            feats = fully_connected(concat, 12, name='fc_1')
            pred = fully_connected(feats, 1, name='fc_2')
            feats_l1_loss = tf.add_n([tf.losses.get_regularization_losses()[-2]])
            return feats, pred, feats_l1_loss
