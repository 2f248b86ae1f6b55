import numpy as np
import tensorflow as tf

X = tf.placeholder(tf.float32, shape=(4, None))
squared = tf.reduce_sum(tf.square(X), axis=1)
safe = tf.where(squared > 0, squared, tf.ones_like(squared))
Z = tf.where(squared > 0, tf.sqrt(safe), tf.zeros_like(squared), name='logit')
var_grad = tf.gradients(Z, [X])

with tf.Session() as sess:
    X_ = np.array([[1], [0], [1e-16], [1e-19]], dtype=np.float32)
    sess.run(tf.global_variables_initializer())
    print(sess.run((Z, var_grad), feed_dict={X: X_}))
