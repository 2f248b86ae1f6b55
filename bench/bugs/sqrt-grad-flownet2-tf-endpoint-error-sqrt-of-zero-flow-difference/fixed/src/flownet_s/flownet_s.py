from ..net import Net, Mode
from ..utils import LeakyReLU, average_endpoint_error, pad, antipad
import math
import tensorflow as tf
slim = tf.contrib.slim


class FlowNetS(Net):

    def __init__(self, mode=Mode.TRAIN, debug=False):
        super(FlowNetS, self).__init__(mode=mode, debug=debug)

    def model(self, inputs, training_schedule):
        _, height, width, _ = inputs['input_a'].shape.as_list()
        with tf.name_scope('FlowNetS'):
            concat_inputs = tf.concat([inputs['input_a'], inputs['input_b']], axis=3)
            with slim.arg_scope([slim.conv2d, slim.conv2d_transpose],
                                weights_initializer=slim.variance_scaling_initializer(),
                                activation_fn=LeakyReLU,
                                padding='VALID'):
                # contracting part (condensed: conv1 .. conv6_1 of the original)
                with slim.arg_scope([slim.conv2d], stride=2):
                    conv_1 = slim.conv2d(pad(concat_inputs, 3), 64, 7, scope='conv1')
                    conv_2 = slim.conv2d(pad(conv_1, 2), 128, 5, scope='conv2')
                    conv_3 = slim.conv2d(pad(conv_2, 2), 256, 5, scope='conv3')
                conv3_1 = slim.conv2d(pad(conv_3), 256, 3, scope='conv3_1')

                # refinement: flow predicted at two scales (the original has six)
                with slim.arg_scope([slim.conv2d_transpose], biases_initializer=None):
                    predict_flow3 = slim.conv2d(pad(conv3_1), 2, 3, scope='predict_flow3', activation_fn=None)
                    deconv2 = antipad(slim.conv2d_transpose(conv3_1, 64, 4, stride=2, scope='deconv2'))
                    upsample_flow3to2 = antipad(slim.conv2d_transpose(predict_flow3, 2, 4, stride=2,
                                                                      scope='upsample_flow3to2',
                                                                      activation_fn=None))
                    concat2 = tf.concat([conv_2, deconv2, upsample_flow3to2], axis=3)
                    predict_flow2 = slim.conv2d(pad(concat2), 2, 3, scope='predict_flow2', activation_fn=None)

                flow = predict_flow2 * 20.0
                flow = tf.image.resize_bilinear(flow, tf.stack([height, width]), align_corners=True)
                return {
                    'predict_flow3': predict_flow3,
                    'predict_flow2': predict_flow2,
                    'flow': flow,
                }

    def loss(self, flow, predictions):
        flow = flow * 0.05
        losses = []
        INPUT_HEIGHT, INPUT_WIDTH = float(flow.shape[1].value), float(flow.shape[2].value)

        # L2 (endpoint) loss between predict_flow3 and the downsampled ground truth
        predict_flow3 = predictions['predict_flow3']
        hradius = math.ceil(INPUT_HEIGHT / predict_flow3.shape[1].value)
        wradius = math.ceil(INPUT_WIDTH / predict_flow3.shape[2].value)
        downsampled_flow3 = tf.nn.avg_pool(flow, [1, hradius, wradius, 1],
                                           strides=[1, hradius, wradius, 1], padding='SAME')
        losses.append(average_endpoint_error(downsampled_flow3, predict_flow3))

        # and between predict_flow2 and the downsampled ground truth
        predict_flow2 = predictions['predict_flow2']
        hradius = math.ceil(INPUT_HEIGHT / predict_flow2.shape[1].value)
        wradius = math.ceil(INPUT_WIDTH / predict_flow2.shape[2].value)
        downsampled_flow2 = tf.nn.avg_pool(flow, [1, hradius, wradius, 1],
                                           strides=[1, hradius, wradius, 1], padding='SAME')
        losses.append(average_endpoint_error(downsampled_flow2, predict_flow2))

        loss = tf.losses.compute_weighted_loss(losses, [0.01, 0.005])
        return tf.losses.get_total_loss()
