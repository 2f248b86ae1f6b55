import tensorflow as tf


@tf.function(jit_compile=True)
def safe_distance(x, y):
    d_sq = tf.reduce_sum((x - y) ** 2)
    return tf.where(d_sq > 0, tf.sqrt(tf.where(d_sq > 0, d_sq, 1.0)), 0.0)


x = tf.constant([1.0, 2.0, 3.0])
y = tf.constant([1.0, 2.0, 3.0])
with tf.GradientTape() as tape:
    tape.watch(x)
    d = safe_distance(x, y)
grad = tape.gradient(d, x)
