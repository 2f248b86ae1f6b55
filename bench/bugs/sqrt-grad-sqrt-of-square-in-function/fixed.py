import tensorflow as tf


@tf.function
def fun(v):
    v = tf.abs(v)
    return tf.reduce_sum(v, axis=-1)


x = tf.Variable([[1.0, 0.0]])
with tf.GradientTape() as tape:
    z = fun(x)
    loss = tf.nn.l2_loss(z)

tf.print(tape.gradient(loss, x))
