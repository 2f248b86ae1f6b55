import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
import tensorflow as tf


class CNN(BaseEstimator, ClassifierMixin):

    @staticmethod
    def weight_variable(shape):
        initial = tf.truncated_normal(shape, stddev=0.1)
        return tf.Variable(initial, validate_shape=False)

    @staticmethod
    def bias_variable(shape):
        initial = tf.constant(0.1, shape=shape)
        return tf.Variable(initial, validate_shape=False)

    @staticmethod
    def conv2d(x, W):
        return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME')

    @staticmethod
    def max_pool_2x2(x):
        return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')

    def __init__(self, input_shape, classes, conv_shape, epochs=2500, batchsize=50, dropout=0.5):
        self.m, self.n, self.c = input_shape
        self.classes = np.array(classes)
        self.x = tf.placeholder("float", [None, self.m, self.n, self.c])
        self.y_ = tf.placeholder("float", [None, len(self.classes)])
        self.conv_width, self.conv_length = conv_shape

        W_conv1 = CNN.weight_variable([self.conv_width, self.conv_length, 1, 7])
        b_conv1 = CNN.bias_variable([7])
        h_conv1 = tf.nn.relu(CNN.conv2d(self.x, W_conv1) + b_conv1)
        h_pool1 = CNN.max_pool_2x2(h_conv1)

        h_pool1_flat_shape = int(np.ceil(self.m/2.0) * np.ceil(self.n/2.0) * 7)
        W_fc1 = CNN.weight_variable([h_pool1_flat_shape, 32])
        b_fc1 = CNN.bias_variable([32])
        h_pool1_flat = tf.reshape(h_pool1, [-1, h_pool1_flat_shape])
        h_fc1 = tf.nn.relu(tf.matmul(h_pool1_flat, W_fc1) + b_fc1)

        self.keep_prob = tf.placeholder("float")
        h_fc1_drop = tf.nn.dropout(h_fc1, self.keep_prob)

        W_fc2 = CNN.weight_variable([32, len(self.classes)])
        b_fc2 = CNN.bias_variable([len(self.classes)])

        self.y_conv = tf.nn.softmax(tf.matmul(h_fc1_drop, W_fc2) + b_fc2)

        cross_entropy = -tf.reduce_sum(self.y_ * tf.log(tf.clip_by_value(self.y_conv, 1e-8, 1.0)))

        self.train_step = tf.train.AdamOptimizer(1e-3).minimize(cross_entropy)
        self.correct_prediction = tf.equal(tf.argmax(self.y_conv, 1), tf.argmax(self.y_, 1))
        self.accuracy = tf.reduce_mean(tf.cast(self.correct_prediction, "float"))
        self.sess = tf.InteractiveSession()
