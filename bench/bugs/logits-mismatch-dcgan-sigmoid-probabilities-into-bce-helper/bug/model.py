import tensorflow as tf

from ops import binary_cross_entropy_with_logits, linear


class DCGAN(object):
    def __init__(self, image_size=64, z_dim=100):
        self.images = tf.placeholder(tf.float32, [None, image_size * image_size * 3], name='real_images')
        self.z = tf.placeholder(tf.float32, [None, z_dim], name='z')
        self.G = self.generator(self.z)
        self.D = self.discriminator(self.images)
        self.D_ = self.discriminator(self.G, reuse=True)

        self.d_loss_real = binary_cross_entropy_with_logits(tf.ones_like(self.D), self.D)
        self.d_loss_fake = binary_cross_entropy_with_logits(tf.zeros_like(self.D_), self.D_)
        self.g_loss = binary_cross_entropy_with_logits(tf.ones_like(self.D_), self.D_)
        self.d_loss = self.d_loss_real + self.d_loss_fake

    def generator(self, z):
        with tf.variable_scope("generator"):
            return tf.nn.tanh(linear(z, 64 * 64 * 3, 'g_h0_lin'))

    def discriminator(self, image, reuse=False):
        with tf.variable_scope("discriminator", reuse=reuse):
            h0 = tf.nn.relu(linear(image, 256, 'd_h0_lin'))
            h1 = linear(h0, 1, 'd_h1_lin')
            return tf.nn.sigmoid(h1)
