import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

loc = tf.Variable(0.)
raw_scale = tf.Variable(0.5)
optimizer = tf.keras.optimizers.Adam(0.1)
data = tf.random.normal([100], 3., 0.1)


def nll():
    dist = tfd.Normal(loc=loc, scale=tf.math.softplus(raw_scale), validate_args=True)
    return -tf.reduce_mean(dist.log_prob(data))


for step in range(200):
    optimizer.minimize(nll, var_list=[loc, raw_scale])
