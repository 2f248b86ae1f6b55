# Per-task training of a linear multi-task regressor (TF1 graph), after the question:
# a mask matrix zeroes every output column but one, and the per-column Euclidean
# distance is taken with tf.norm.
import numpy as np
import pandas as pd
import tensorflow as tf

batchSize = 128
eta = 0.8
tasks = 30
imageSize = 32 ** 2
groups = 3
tasksPerGroup = 10
trainDatapoints = 10000

# toy data: 3 groups of 10 related linear tasks
w = np.zeros([imageSize, groups * tasksPerGroup])
toyIndex = 0
for toyLoop in range(groups):
    m = np.ones([imageSize]) * np.random.randn(imageSize)
    for taskLoop in range(tasksPerGroup):
        w[:, toyIndex] = m * 0.1 * np.random.randn(1)
        toyIndex += 1

xRand = np.random.normal(0, 0.5, (trainDatapoints, imageSize))
taskLabels = np.matmul(xRand, w) + np.random.normal(0, 0.5, (trainDatapoints, groups * tasksPerGroup))
DF = np.concatenate((xRand, taskLabels), axis=1)
trainDF = pd.DataFrame(DF[:trainDatapoints, ])

# graph
x = tf.placeholder(tf.float32, [None, imageSize])
W = tf.Variable(tf.zeros([imageSize, tasks]))
b = tf.Variable(tf.zeros([tasks]))
ystar = tf.placeholder(tf.float32, [None, tasks])
ymask = tf.placeholder(tf.float32, [tasks, tasks])
dataLength = tf.cast(tf.shape(ystar)[0], dtype=tf.float32)

y1 = tf.matmul(x, W) + b
y2 = tf.matmul(y1, ymask)
dist = tf.sqrt(tf.reduce_sum(tf.square(ystar - y2), axis=0) + 1e-12)
mse = tf.reciprocal(dataLength) * tf.reduce_mean(tf.square(dist))
grads = tf.gradients(dist, [y2])
trainStep = tf.train.GradientDescentOptimizer(eta).minimize(mse)

# train one task at a time: the mask keeps a single column, the others are 0 in both
# the prediction and the (masked) labels
sess = tf.Session()
sess.run(tf.global_variables_initializer())
for task in range(tasks):
    mask = np.zeros([tasks, tasks])
    mask[task, task] = 1.0
    for i in range(trainDatapoints // batchSize):
        batch = trainDF.sample(batchSize).values
        batchX = batch[:, :imageSize]
        batchY = np.matmul(batch[:, imageSize:], mask)
        _, g = sess.run([trainStep, grads], feed_dict={x: batchX, ystar: batchY, ymask: mask})
