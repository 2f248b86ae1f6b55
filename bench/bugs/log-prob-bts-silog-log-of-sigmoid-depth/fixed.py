from __future__ import absolute_import, division, print_function
from collections import namedtuple

import numpy as np
import tensorflow as tf
import tensorflow.contrib.slim as slim

bts_parameters = namedtuple('parameters', 'encoder, '
                                          'height, width, '
                                          'max_depth, '
                                          'batch_size, '
                                          'dataset, '
                                          'num_gpus, '
                                          'num_threads, '
                                          'num_epochs, ')


class BtsModel(object):

    def __init__(self, params, mode, image, depth_gt, focal, reuse_variables=None, model_index=0, bn_training=False):
        self.params = params
        self.mode = mode
        self.max_depth = self.params.max_depth

        self.input_image = image
        self.depth_gt = depth_gt
        self.focal = tf.cast(focal, tf.float32)
        self.model_collection = ['model_' + str(model_index)]

        self.reuse_variables = reuse_variables
        self.bn_training = bn_training
        self.is_training = True if mode == 'train' else False

        self.build_model(net_input=self.input_image, reuse=self.reuse_variables)

        if self.mode == 'test':
            return

        self.build_losses()

    def upsample_nn(self, x, ratio):
        s = tf.shape(x)
        h = s[1]
        w = s[2]
        return tf.image.resize_nearest_neighbor(x, [h * ratio, w * ratio], align_corners=True)

    def conv(self, x, num_out_layers, kernel_size, stride, activation_fn=tf.nn.elu, normalizer_fn=None):
        p = np.floor((kernel_size - 1) / 2).astype(np.int32)
        p_x = tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]])
        return slim.conv2d(p_x, num_out_layers, kernel_size, stride, 'VALID', activation_fn=activation_fn, normalizer_fn=normalizer_fn)

    def upconv(self, x, num_out_layers, kernel_size, scale, activation_fn=tf.nn.elu, normalizer_fn=None):
        upsample = self.upsample_nn(x, scale)
        conv = self.conv(upsample, num_out_layers, kernel_size, 1, activation_fn=activation_fn, normalizer_fn=normalizer_fn)
        return conv

    def get_depth(self, x):
        depth = self.max_depth * self.conv(x, 1, 3, 1, tf.nn.sigmoid, normalizer_fn=None)
        if self.params.dataset == 'kitti':
            focal_expanded = tf.expand_dims(self.focal, 1)
            focal_expanded = tf.expand_dims(focal_expanded, 1)
            focal_expanded = tf.expand_dims(focal_expanded, 1)
            depth = depth * focal_expanded / 715.0873 # Average focal length in KITTI Eigen training set
        return depth

    def bts(self, dense_features, num_filters=256):
        upconv2 = self.upconv(dense_features, num_filters, 3, 2)
        iconv2 = self.conv(upconv2, num_filters, 3, 1)
        upconv1 = self.upconv(iconv2, num_filters / 2, 3, 2)
        iconv1 = self.conv(upconv1, num_filters / 2, 3, 1)

        self.depth_est = self.get_depth(iconv1)

    def build_model(self, net_input, reuse):
        with tf.variable_scope('model', reuse=reuse):
            with tf.variable_scope('encoder'):
                dense_features = slim.conv2d(net_input, 256, 7, stride=4, scope='conv1')
            with tf.variable_scope('decoder'):
                self.bts(dense_features, num_filters=256)

    def build_losses(self):
        with tf.variable_scope('losses', reuse=self.reuse_variables):

            if self.params.dataset == 'nyu':
                self.mask = self.depth_gt > 0.1
            else:
                self.mask = self.depth_gt > 1.0

            depth_gt_masked = tf.boolean_mask(self.depth_gt, self.mask)
            depth_est_masked = tf.boolean_mask(self.depth_est, self.mask)

            d = tf.log(depth_est_masked + 1e-4) - tf.log(depth_gt_masked)  # Best

            self.silog_loss = tf.sqrt(tf.reduce_mean(d ** 2) - 0.85 * (tf.reduce_mean(d) ** 2)) * 10.0
            self.total_loss = self.silog_loss


def train(params, image, depth_gt, focal, learning_rate, num_total_steps):
    global_step = tf.Variable(0, trainable=False)
    opt_step = tf.train.AdamOptimizer(learning_rate, epsilon=1e-8)

    model = BtsModel(params, 'train', image, depth_gt, focal=focal, bn_training=False)
    loss = model.total_loss
    grads = opt_step.compute_gradients(loss)
    apply_gradient_op = opt_step.apply_gradients(grads, global_step=global_step)

    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for step in range(num_total_steps):
        _, loss_value = sess.run([apply_gradient_op, loss])
        print('step: {}/{}, loss: {:.12f}'.format(step, num_total_steps, loss_value))
