# A least-squares fit whose objective holds a few tf.sqrt(c * x) terms, x a tf.Variable and c a
# tf.constant that is sometimes zero, minimised with ScipyOptimizerInterface
# (tensorflow/tensorflow#4914); the thread's example code is not shown, the terms are written here.
import numpy as np
import tensorflow as tf

coefficients = [0.5, 0.0, 2.0, 0.0, 1.5]
observed = np.array([1.1, 0.0, 2.3, 0.0, 1.9], dtype=np.float64)

x = tf.Variable(np.ones(len(coefficients)), dtype=tf.float64)

terms = []
for i, c in enumerate(coefficients):
    c = tf.constant(c, dtype=tf.float64)
    terms.append(tf.sqrt(c * x[i]))
model = tf.stack(terms)

loss = tf.reduce_sum(tf.square(model - observed))

optimizer = tf.contrib.opt.ScipyOptimizerInterface(loss, var_to_bounds={x: (0.0, np.inf)})

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    optimizer.minimize(sess)
    print(sess.run(x))
