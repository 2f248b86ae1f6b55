import tensorflow as tf

X = tf.placeholder(tf.float32, [None, 784])
Y_ = tf.placeholder(tf.float32, [None, 10])

W1 = tf.Variable(tf.truncated_normal([784, 200], stddev=0.1))
B1 = tf.Variable(tf.zeros([200]))
W2 = tf.Variable(tf.truncated_normal([200, 10], stddev=0.1))
B2 = tf.Variable(tf.zeros([10]))

Y1 = tf.nn.relu(tf.matmul(X, W1) + B1)
Ylogits = tf.matmul(Y1, W2) + B2
Y = tf.nn.softmax(Ylogits)

cross_entropy = -tf.reduce_sum(Y_*tf.log(Y))
train_step = tf.train.AdamOptimizer(0.003).minimize(cross_entropy)
