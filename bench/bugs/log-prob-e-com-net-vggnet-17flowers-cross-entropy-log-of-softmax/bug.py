# VGGNet in TensorFlow (TF1 graph), written after tflearn's VGG demo and trained on 17flowers;
# the loss and then every weight become NaN after some steps.
import numpy as np
import tensorflow as tf


def compute_accuracy(v_xs, v_ys):
    global prediction
    y_pre = sess.run(prediction, feed_dict={xs: v_xs, keep_prob: 1})
    correct_prediction = tf.equal(tf.argmax(y_pre, 1), tf.argmax(v_ys, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    result = sess.run(accuracy, feed_dict={xs: v_xs, ys: v_ys, keep_prob: 1})
    return result


def weight_variable(shape):
    initial = tf.truncated_normal(shape, stddev=0.1)
    return tf.Variable(initial)


def bias_variable(shape):
    initial = tf.constant(0.1, shape=shape)
    return tf.Variable(initial)


def conv2d(x, W):
    return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME')


def max_pool_2x2(x):
    return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')


def conv_block(x, in_channels, out_channels, n_convs):
    for _ in range(n_convs):
        W = weight_variable([3, 3, in_channels, out_channels])
        b = bias_variable([out_channels])
        x = tf.nn.relu(conv2d(x, W) + b)
        in_channels = out_channels
    return max_pool_2x2(x)


xs = tf.placeholder(tf.float32, [None, 224, 224, 3])
ys = tf.placeholder(tf.float32, [None, 17])
keep_prob = tf.placeholder(tf.float32)

h = conv_block(xs, 3, 64, 2)
h = conv_block(h, 64, 128, 2)
h = conv_block(h, 128, 256, 3)
h = conv_block(h, 256, 512, 3)
h = conv_block(h, 512, 512, 3)
h_flat = tf.reshape(h, [-1, 7 * 7 * 512])

W_fc1 = weight_variable([7 * 7 * 512, 4096])
b_fc1 = bias_variable([4096])
h_fc1 = tf.nn.dropout(tf.nn.relu(tf.matmul(h_flat, W_fc1) + b_fc1), keep_prob)
W_fc2 = weight_variable([4096, 4096])
b_fc2 = bias_variable([4096])
h_fc2 = tf.nn.dropout(tf.nn.relu(tf.matmul(h_fc1, W_fc2) + b_fc2), keep_prob)
W_fc3 = weight_variable([4096, 17])
b_fc3 = bias_variable([17])
prediction = tf.nn.softmax(tf.matmul(h_fc2, W_fc3) + b_fc3)

cross_entropy = -tf.reduce_sum(ys * tf.log(prediction))
train_step = tf.train.AdamOptimizer(1e-4).minimize(cross_entropy)

sess = tf.Session()
sess.run(tf.global_variables_initializer())
for i in range(1000):
    batch_xs, batch_ys = flowers.train.next_batch(32)
    sess.run(train_step, feed_dict={xs: batch_xs, ys: batch_ys, keep_prob: 0.5})
    print("Loss:", sess.run(cross_entropy, feed_dict={xs: batch_xs, ys: batch_ys, keep_prob: 0.5}))
    if i % 50 == 0:
        print(compute_accuracy(flowers.test.images, flowers.test.labels))
