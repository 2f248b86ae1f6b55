import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 1024])
y_ = tf.placeholder(tf.float32, [None, 2])

hidden = tf.layers.dense(x, 256, activation=tf.nn.relu)
y = tf.nn.softmax(tf.layers.dense(hidden, 2))

loss = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y + 1e-10), axis=1))
train_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
