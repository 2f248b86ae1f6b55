import tensorflow as tf

n_input, n_hidden, n_classes = 784, 256, 10

x = tf.placeholder(tf.float32, [None, n_input])
y_label = tf.placeholder(tf.float32, [None, n_classes])

W1 = tf.Variable(tf.truncated_normal([n_input, n_hidden], stddev=0.1))
b1 = tf.Variable(tf.zeros([n_hidden]))
W2 = tf.Variable(tf.truncated_normal([n_hidden, n_classes], stddev=0.1))
b2 = tf.Variable(tf.zeros([n_classes]))

hidden = tf.nn.relu(tf.matmul(x, W1) + b1)
logits = tf.matmul(hidden, W2) + b2
y_pred = tf.nn.softmax(logits)

loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=y_label))
train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
