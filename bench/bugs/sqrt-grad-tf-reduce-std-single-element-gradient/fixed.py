import tensorflow as tf

x = tf.random.uniform([1], minval=-1, maxval=1, dtype=tf.float64)
print(x)

with tf.GradientTape(persistent=False,) as g:
    g.watch(x)
    y = tf.sqrt(tf.math.reduce_variance(x, axis=0, keepdims=True) + 1e-12)
    print(y)
print("gradient", g.gradient(y, x))


@tf.function
def test_func(x):
    return tf.sqrt(tf.math.reduce_variance(x, axis=0, keepdims=True) + 1e-12)


theoretical, numerical = tf.test.compute_gradient(test_func, [x])

print("theoretical gradient", theoretical)
print("numerical gradient", numerical)
