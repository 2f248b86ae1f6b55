# atan2 written with tf.where before TensorFlow had tf.atan2 (tensorflow/tensorflow#6095); the
# function is the thread's, the angle-regression graph that differentiates it is written here.
import numpy as np
import tensorflow as tf


def atan2(y, x, epsilon=1.0e-12):
    x = tf.where(tf.equal(x, 0.0), x + epsilon, x)
    y = tf.where(tf.equal(y, 0.0), y + epsilon, y)
    angle = tf.where(tf.greater(x, 0.0), tf.atan(y / x), tf.zeros_like(x))
    angle = tf.where(tf.logical_and(tf.less(x, 0.0), tf.greater_equal(y, 0.0)), tf.atan(y / x) + np.pi, angle)
    angle = tf.where(tf.logical_and(tf.less(x, 0.0), tf.less(y, 0.0)), tf.atan(y / x) - np.pi, angle)
    angle = tf.where(tf.logical_and(tf.equal(x, 0.0), tf.greater(y, 0.0)), 0.5 * np.pi * tf.ones_like(x), angle)
    angle = tf.where(tf.logical_and(tf.equal(x, 0.0), tf.less(y, 0.0)), -0.5 * np.pi * tf.ones_like(x), angle)
    angle = tf.where(tf.logical_and(tf.equal(x, 0.0), tf.equal(y, 0.0)), tf.zeros_like(x), angle)
    return angle


features = tf.placeholder(tf.float32, [None, 16])
target_angle = tf.placeholder(tf.float32, [None])

hidden = tf.layers.dense(features, 32, activation=tf.nn.relu)
vec = tf.layers.dense(hidden, 2)
pred_angle = atan2(vec[:, 1], vec[:, 0])

loss = tf.reduce_mean(tf.square(pred_angle - target_angle))
train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(1000):
        batch_x = np.random.randn(64, 16).astype(np.float32)
        batch_t = np.random.uniform(-np.pi, np.pi, 64).astype(np.float32)
        sess.run(train_op, {features: batch_x, target_angle: batch_t})
