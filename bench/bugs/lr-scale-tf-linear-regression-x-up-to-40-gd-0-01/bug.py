import tensorflow as tf
tf.set_random_seed(777)

x_data = [5, 10, 15, 20, 25, 30, 35, 40]
y_data = [2, 4, 6, 8, 10, 12, 14, 16]

one = tf.Variable(tf.random_normal([1]))
two = tf.Variable(tf.random_normal([1]))

hypo = x_data * one + two

cost = tf.reduce_mean(tf.square(hypo - y_data))

train = tf.train.GradientDescentOptimizer(0.01).minimize(cost)

ina = tf.global_variables_initializer()

with tf.Session() as tt:
    tt.run(ina)
    for i in range(3000):
        a, b, c, d = tt.run([train, cost, one, two])
        if i % 10 == 0:
            print(c, d)
