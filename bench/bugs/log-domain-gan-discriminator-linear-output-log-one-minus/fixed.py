import tensorflow as tf


def discriminator(x, reuse=False):
    with tf.variable_scope('discriminator', reuse=reuse):
        h = tf.layers.dense(x, 128, activation=tf.nn.relu)
        return tf.layers.dense(h, 1)


def gan_losses(real_images, fake_images):
    disc_real = discriminator(real_images)
    disc_output = discriminator(fake_images, reuse=True)
    d_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=disc_real, labels=tf.ones_like(disc_real)) + tf.nn.sigmoid_cross_entropy_with_logits(logits=disc_output, labels=tf.zeros_like(disc_output)))
    g_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=disc_output, labels=tf.ones_like(disc_output)))
    return d_loss, g_loss
