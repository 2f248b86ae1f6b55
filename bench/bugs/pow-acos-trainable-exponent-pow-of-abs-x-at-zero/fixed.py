import tensorflow as tf

num_features = 8
LEARNING_RATE = 0.01

x = tf.placeholder(tf.float64, [None, num_features])
y_ = tf.placeholder(tf.float64, [None, 1])

weights = tf.Variable(tf.zeros([num_features, 1], dtype=tf.float64))
exponents = tf.Variable(tf.ones([num_features, 1], dtype=tf.float64))

x_to_exponent = tf.mul(tf.sign(x), tf.pow(tf.abs(x) + 0.0001, tf.transpose(exponents)))
pred = tf.matmul(x_to_exponent, weights)
cost_function = tf.reduce_mean(tf.abs(pred - y_))
optimizer = tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(cost_function)
