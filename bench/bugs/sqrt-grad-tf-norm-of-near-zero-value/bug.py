import tensorflow as tf

x = tf.constant(1e-30)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.norm(x * x)
grad = tape.gradient(y, x)
