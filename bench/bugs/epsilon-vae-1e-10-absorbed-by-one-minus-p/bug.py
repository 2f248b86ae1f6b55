import numpy as np
import tensorflow as tf

image_size = 28*28


def xavier_init(fan_in, fan_out, constant=1):
    low = -constant*np.sqrt(6.0/(fan_in + fan_out))
    high = constant*np.sqrt(6.0/(fan_in + fan_out))
    return tf.random_uniform((fan_in, fan_out), minval=low, maxval=high, dtype=tf.float32)


n_input, n_z, n_hidden = image_size, 2, 500
w_recog = {'h1': tf.Variable(xavier_init(n_input, n_hidden)),
           'out_mean': tf.Variable(xavier_init(n_hidden, n_z)),
           'out_log_sigma': tf.Variable(xavier_init(n_hidden, n_z))}
w_gener = {'h1': tf.Variable(xavier_init(n_z, n_hidden)),
           'out_mean': tf.Variable(xavier_init(n_hidden, n_input))}
b_gener = {'b1': tf.Variable(tf.zeros([n_hidden])),
           'out_mean': tf.Variable(tf.zeros([n_input]))}

x = tf.placeholder(tf.float32, [None, n_input])
enc_layer_1 = tf.nn.softplus(tf.matmul(x, w_recog['h1']))
z_mean = tf.matmul(enc_layer_1, w_recog['out_mean'])
z_log_sigma_sq = tf.matmul(enc_layer_1, w_recog['out_log_sigma'])
eps = tf.placeholder(tf.float32, [None, n_z])
z = tf.add(z_mean, tf.multiply(tf.sqrt(tf.exp(z_log_sigma_sq)), eps))

dec_layer_1 = tf.nn.softplus(tf.add(tf.matmul(z, w_gener['h1']), b_gener['b1']))
x_reconstr_mean = tf.nn.sigmoid(tf.add(tf.matmul(dec_layer_1, w_gener['out_mean']), b_gener['out_mean']))

reconstr_loss = -tf.reduce_sum(x * tf.log(1e-10 + x_reconstr_mean) + (1-x) * tf.log(1e-10 + 1 - x_reconstr_mean), 1)
latent_loss = -0.5 * tf.reduce_sum(1 + z_log_sigma_sq - tf.square(z_mean) - tf.exp(z_log_sigma_sq), 1)
cost = tf.reduce_mean(reconstr_loss + latent_loss)
optimizer = tf.train.AdamOptimizer(learning_rate=0.001).minimize(cost)
