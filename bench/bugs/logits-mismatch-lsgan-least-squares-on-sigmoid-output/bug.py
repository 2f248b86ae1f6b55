import tensorflow as tf


def linear(input_, output_size, scope=None):
    shape = input_.get_shape().as_list()
    with tf.variable_scope(scope or "Linear"):
        matrix = tf.get_variable("Matrix", [shape[1], output_size], tf.float32,
                                 tf.random_normal_initializer(stddev=0.02))
        bias = tf.get_variable("bias", [output_size], initializer=tf.constant_initializer(0.0))
        return tf.matmul(input_, matrix) + bias


class LSGAN(object):
    def __init__(self, batch_size=64, z_dim=62):
        self.batch_size = batch_size
        self.inputs = tf.placeholder(tf.float32, [batch_size, 784], name='real_images')
        self.z = tf.placeholder(tf.float32, [batch_size, z_dim], name='z')
        G = self.generator(self.z)
        D_real, D_real_logits, _ = self.discriminator(self.inputs, reuse=False)
        D_fake, D_fake_logits, _ = self.discriminator(G, reuse=True)
        d_loss_real = tf.reduce_mean(self.mse_loss(D_real, tf.ones_like(D_real)))
        d_loss_fake = tf.reduce_mean(self.mse_loss(D_fake, tf.zeros_like(D_fake)))
        self.g_loss = tf.reduce_mean(self.mse_loss(D_fake, tf.ones_like(D_fake)))
        self.d_loss = d_loss_real + d_loss_fake

    def mse_loss(self, pred, data):
        return tf.sqrt(2 * tf.nn.l2_loss(pred - data)) / self.batch_size

    def generator(self, z):
        with tf.variable_scope("generator"):
            return tf.nn.sigmoid(linear(z, 784, 'g_fc'))

    def discriminator(self, x, reuse=False):
        with tf.variable_scope("discriminator", reuse=reuse):
            net = tf.nn.leaky_relu(linear(x, 1024, 'd_fc3'))
            out_logit = linear(net, 1, 'd_fc4')
            out = tf.nn.sigmoid(out_logit)
            return out, out_logit, net
