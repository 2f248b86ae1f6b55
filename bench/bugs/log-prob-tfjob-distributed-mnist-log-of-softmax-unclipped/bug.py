"""A simple MNIST classifier which displays summaries in TensorBoard.

cheyang/tensorflow-sample-code tfjob/docker/distributed-mnist/main.py before its PR #6; the
cluster setup (TF_CONFIG, tf.train.Server, replica_device_setter, Supervisor) is replaced by a
local session, the graph and the training loop are kept.
"""
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import argparse
import sys

import tensorflow as tf

from tensorflow.examples.tutorials.mnist import input_data

FLAGS = None


def train():
  mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=True, fake_data=FLAGS.fake_data)

  global_step = tf.get_variable('global_step', [], initializer=tf.constant_initializer(0), trainable=False)

  # Input placeholders
  with tf.name_scope('input'):
    x = tf.placeholder(tf.float32, [None, 784], name='x-input')
    y_ = tf.placeholder(tf.float32, [None, 10], name='y-input')

  # We can't initialize these variables to 0 - the network will get stuck.
  def weight_variable(shape):
    """Create a weight variable with appropriate initialization."""
    initial = tf.truncated_normal(shape, stddev=0.1)
    return tf.Variable(initial)

  def bias_variable(shape):
    """Create a bias variable with appropriate initialization."""
    initial = tf.constant(0.1, shape=shape)
    return tf.Variable(initial)

  def nn_layer(input_tensor, input_dim, output_dim, layer_name, act=tf.nn.relu):
    """Reusable code for making a simple neural net layer."""
    with tf.name_scope(layer_name):
      with tf.name_scope('weights'):
        weights = weight_variable([input_dim, output_dim])
      with tf.name_scope('biases'):
        biases = bias_variable([output_dim])
      with tf.name_scope('Wx_plus_b'):
        preactivate = tf.matmul(input_tensor, weights) + biases
      activations = act(preactivate, name='activation')
      return activations

  hidden1 = nn_layer(x, 784, 500, 'layer1')

  with tf.name_scope('dropout'):
    keep_prob = tf.placeholder_with_default(1.0, shape=())
    dropped = tf.nn.dropout(hidden1, keep_prob)

  # Do not apply softmax activation yet, see below.
  y = nn_layer(dropped, 500, 10, 'layer2', act=tf.identity)

  with tf.name_scope('cross_entropy'):
    #diff = tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y)
    # with tf.name_scope('total'):
      #cross_entropy = tf.reduce_mean(diff)
    logits = tf.nn.softmax(y, name='logits')
    cross_entropy = -tf.reduce_sum(y_ * tf.log(logits), name='cross_entropy')
    tf.summary.scalar('cross_entropy', cross_entropy)

  with tf.name_scope('train'):
    train_step = tf.train.AdamOptimizer(FLAGS.learning_rate).minimize(
        cross_entropy, global_step=global_step)

  with tf.name_scope('accuracy'):
    correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

  def feed_dict(train):
    """Make a TensorFlow feed_dict: maps data onto Tensor placeholders."""
    if train or FLAGS.fake_data:
      xs, ys = mnist.train.next_batch(100, fake_data=FLAGS.fake_data)
      k = FLAGS.dropout
    else:
      xs, ys = mnist.test.images, mnist.test.labels
      k = 1.0
    return {x: xs, y_: ys, keep_prob: k}

  with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(FLAGS.max_steps):
      if i % 10 == 0:
        acc = sess.run(accuracy, feed_dict=feed_dict(False))
        print('Accuracy at step %s: %s' % (i, acc))
      else:
        sess.run(train_step, feed_dict=feed_dict(True))


def main(_):
  train()


if __name__ == '__main__':
  parser = argparse.ArgumentParser()
  parser.add_argument('--fake_data', nargs='?', const=True, type=bool, default=False)
  parser.add_argument('--max_steps', type=int, default=1000)
  parser.add_argument('--learning_rate', type=float, default=0.001)
  parser.add_argument('--dropout', type=float, default=0.9)
  parser.add_argument('--data_dir', type=str, default='/tmp/data')
  FLAGS, unparsed = parser.parse_known_args()
  tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
