import tensorflow as tf


def lrelu(x, leak=0.2):
    return tf.maximum(x, leak * x)


def dense(x, input_len, output_size, scope):
    with tf.variable_scope(scope):
        matrix = tf.get_variable("Matrix", [input_len, output_size], tf.float32, tf.random_normal_initializer(stddev=0.02))
        bias = tf.get_variable("bias", [output_size], initializer=tf.constant_initializer(0.0))
        return tf.matmul(x, matrix) + bias


class LatentAttention():
    def __init__(self):
        self.n_hidden = 500
        self.n_z = 20
        self.batchsize = 100
        self.images = tf.placeholder(tf.float32, [None, 784])
        z_mean, z_stddev = self.recognition(self.images)
        samples = tf.random_normal([self.batchsize, self.n_z], 0, 1, dtype=tf.float32)
        guessed_z = z_mean + (z_stddev * samples)
        self.generated_images = self.generation(guessed_z)
        generated_flat = tf.reshape(self.generated_images, [self.batchsize, 28 * 28])
        self.generation_loss = -tf.reduce_sum(self.images * tf.log(1e-6 + generated_flat) + (1 - self.images) * tf.log(1e-6 + 1 - generated_flat), 1)
        self.latent_loss = 0.5 * tf.reduce_sum(tf.square(z_mean) + tf.square(z_stddev) - tf.log(tf.square(z_stddev)) - 1, 1)
        self.cost = tf.reduce_mean(self.generation_loss + self.latent_loss)
        self.optimizer = tf.train.AdamOptimizer(0.001).minimize(self.cost)

    def recognition(self, input_images):
        with tf.variable_scope("recognition"):
            h1 = lrelu(dense(input_images, 784, self.n_hidden, "d_h1"))
            w_mean = dense(h1, self.n_hidden, self.n_z, "w_mean")
            w_stddev = dense(h1, self.n_hidden, self.n_z, "w_stddev")
        return w_mean, w_stddev

    def generation(self, z):
        with tf.variable_scope("generation"):
            h1 = tf.nn.relu(dense(z, self.n_z, self.n_hidden, scope='z_matrix'))
            h2 = dense(h1, self.n_hidden, 784, scope='g_h2')
            h2 = tf.nn.sigmoid(h2)
        return h2
