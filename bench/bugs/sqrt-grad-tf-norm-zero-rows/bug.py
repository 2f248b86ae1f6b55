import numpy as np
import tensorflow as tf

X = tf.placeholder(tf.float32, shape=(4, None))
Z = tf.norm(X, ord='euclidean', axis=1, name='logit')
var_grad = tf.gradients(Z, [X])

with tf.Session() as sess:
    X_ = np.array([[1], [0], [1e-16], [1e-19]], dtype=np.float32)
    sess.run(tf.global_variables_initializer())
    print(sess.run((Z, var_grad), feed_dict={X: X_}))
