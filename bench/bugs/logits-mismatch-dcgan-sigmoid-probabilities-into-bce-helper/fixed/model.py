import tensorflow as tf

from ops import linear


class DCGAN(object):
    def __init__(self, image_size=64, z_dim=100):
        self.images = tf.placeholder(tf.float32, [None, image_size * image_size * 3], name='real_images')
        self.z = tf.placeholder(tf.float32, [None, z_dim], name='z')
        self.G = self.generator(self.z)
        self.D, self.D_logits = self.discriminator(self.images)
        self.D_, self.D_logits_ = self.discriminator(self.G, reuse=True)

        self.d_loss_real = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=self.D_logits, labels=tf.ones_like(self.D)))
        self.d_loss_fake = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=self.D_logits_, labels=tf.zeros_like(self.D_)))
        self.g_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=self.D_logits_, labels=tf.ones_like(self.D_)))
        self.d_loss = self.d_loss_real + self.d_loss_fake

    def generator(self, z):
        with tf.variable_scope("generator"):
            return tf.nn.tanh(linear(z, 64 * 64 * 3, 'g_h0_lin'))

    def discriminator(self, image, reuse=False):
        with tf.variable_scope("discriminator", reuse=reuse):
            h0 = tf.nn.relu(linear(image, 256, 'd_h0_lin'))
            h1 = linear(h0, 1, 'd_h1_lin')
            return tf.nn.sigmoid(h1), h1
