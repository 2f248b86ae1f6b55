import tensorflow as tf

x = tf.placeholder(tf.float32, [None])
target = tf.placeholder(tf.float32, [None])
w = tf.Variable(0.5)
pred = w * x
r = tf.pow(pred, 0.4)
loss = tf.reduce_mean(tf.square(r - target))
train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
