import tensorflow as tf

x = tf.constant(1e-30)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.sqrt(tf.reduce_sum(tf.square(x * x)) + 1e-12)
grad = tape.gradient(y, x)
