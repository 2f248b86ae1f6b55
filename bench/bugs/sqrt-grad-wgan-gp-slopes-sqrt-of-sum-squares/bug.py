import tensorflow as tf


def D(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.layers.conv2d(x, 64, 4, 2, padding="same", activation=tf.nn.leaky_relu)
        h = tf.layers.conv2d(h, 128, 4, 2, padding="same", activation=tf.nn.leaky_relu)
        return tf.layers.dense(tf.layers.flatten(h), 1)


X_real = tf.placeholder(tf.float32, [None, 64, 64, 3])
X_fake = tf.placeholder(tf.float32, [None, 64, 64, 3])
D_real = D(X_real)
D_fake = D(X_fake, reuse=True)
D_loss = tf.reduce_mean(D_fake) - tf.reduce_mean(D_real)

epsilon = tf.random_uniform(shape=[tf.shape(X_real)[0], 1, 1, 1], minval=0., maxval=1.)
X_hat = X_real + epsilon * (X_fake - X_real)
D_X_hat = D(X_hat, reuse=True)
grad_D_X_hat = tf.gradients(D_X_hat, [X_hat])[0]
red_idx = list(range(1, X_hat.shape.ndims))
slopes = tf.sqrt(tf.reduce_sum(tf.square(grad_D_X_hat), reduction_indices=red_idx))
gradient_penalty = tf.reduce_mean((slopes - 1.) ** 2)
D_loss += 10 * gradient_penalty
D_opt = tf.train.AdamOptimizer(1e-4, beta1=0., beta2=0.9).minimize(D_loss)
