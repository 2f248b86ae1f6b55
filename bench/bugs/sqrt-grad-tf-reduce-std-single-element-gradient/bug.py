import tensorflow as tf

x = tf.random.uniform([1], minval=-1, maxval=1, dtype=tf.float64)
print(x)

with tf.GradientTape(persistent=False,) as g:
    g.watch(x)
    y = tf.math.reduce_std(x, axis=0, keepdims=True)
    print(y)
print("gradient", g.gradient(y, x))


@tf.function
def test_func(x):
    return tf.math.reduce_std(x, axis=0, keepdims=True)


theoretical, numerical = tf.test.compute_gradient(test_func, [x])

print("theoretical gradient", theoretical)
print("numerical gradient", numerical)
