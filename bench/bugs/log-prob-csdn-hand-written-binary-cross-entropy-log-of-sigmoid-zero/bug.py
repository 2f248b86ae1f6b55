# coding=utf-8
# Binary classifier whose output is a sigmoid-mapped value a (TF1 graph), trained with the
# hand-written cross-entropy of the post: -(y*log(a) + (1-y)*log(1-a)).
import numpy as np
import tensorflow as tf

NEAR_0 = 1e-10

x = tf.placeholder(tf.float32, [None, 30])
y = tf.placeholder(tf.float32, [None, 1])

W = tf.Variable(tf.truncated_normal([30, 1], stddev=0.1))
b = tf.Variable(tf.zeros([1]))
a = tf.sigmoid(tf.matmul(x, W) + b)


# 正常交叉熵
def cross_entropy(y, a):
    return -(y * tf.log(a) + (1 - y) * tf.log(1 - a))


loss = tf.reduce_mean(cross_entropy(y, a))
train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

data = np.random.uniform(-100.0, 100.0, (1000, 30)).astype(np.float32)
labels = (data.sum(axis=1, keepdims=True) > 0).astype(np.float32)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(2000):
        _, l = sess.run([train_op, loss], feed_dict={x: data, y: labels})
        if step % 100 == 0:
            print(step, l)
