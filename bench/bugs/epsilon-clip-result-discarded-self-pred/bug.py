import numpy as np
import tensorflow as tf


class network():
    def __init__(self):
        self.learning_rate = 0.01
        self.x = tf.placeholder(tf.float32, [None, 784], name='x')
        self.y = tf.placeholder(tf.float32, [None, 10], name='y')
        self.w = tf.Variable(tf.random_uniform([784, 10], -1, 1), name="weights")
        self.b = tf.Variable(tf.zeros([10]), name="bias")
        self.full_connect_layer = tf.add(tf.matmul(self.x, self.w), self.b)
        self.pred = tf.nn.softmax(self.full_connect_layer, name='y_pred')

    def get_accuracy(self):
        accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(self.pred, 1), tf.argmax(self.y, 1)), tf.float32))
        return accuracy

    def get_loss3(self):
        # keep log's argument away from 0 so that log(0) is not taken
        tf.clip_by_value(self.pred, 1e-15, 1.0)
        cross_entropy = tf.reduce_mean(-tf.reduce_sum(self.y*tf.log(self.pred), reduction_indices=1))
        optimizer = tf.train.GradientDescentOptimizer(self.learning_rate).minimize(cross_entropy)
        return cross_entropy, optimizer


def main():
    net = network()
    cross_entropy, optimizer = net.get_loss3()
    accuracy = net.get_accuracy()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(6000):
            batch_xs, batch_ys = next_batch(100)
            sess.run(optimizer, feed_dict={net.x: batch_xs, net.y: batch_ys})
