import tensorflow as tf


class BatchNormalizer(object):
    """Helper class that groups the normalization logic and variables."""

    def __init__(self, input, ewma_trainer, name, epsilon=1e-5):
        rank = len(input.get_shape())
        in_dim = input.get_shape().as_list()[-1]

        if rank == 2:
            self.axes = [0]
        elif rank == 4:
            self.axes = [0, 1, 2]
        else:
            raise ValueError('Input tensor must have rank 2 or 4.')

        self.mean = tf.Variable(tf.constant(0.0, shape=[in_dim]),
                trainable=False)
        self.variance = tf.Variable(tf.constant(1.0, shape=[in_dim]),
                trainable=False)
        with tf.variable_scope(name):
            self.offset = tf.get_variable('offset',
                    shape = [in_dim],
                    initializer = tf.constant_initializer(0.0))
            self.scale = tf.get_variable('scale',
                    shape = [in_dim],
                    initializer=tf.constant_initializer(1.0))
        self.ewma_trainer = ewma_trainer
        self.epsilon = epsilon
        self.assigner = self.ewma_trainer.apply([self.mean, self.variance])

    def normalize(self, input, train=True):
        """Returns a batch-normalized version of x."""
        if train:
            mean, variance = tf.nn.moments(input, self.axes)
            assign_mean = self.mean.assign(mean)
            assign_variance = self.variance.assign(variance)
            with tf.control_dependencies([assign_mean, assign_variance]):
                return tf.nn.batch_normalization(input, mean, variance, self.offset,
                        self.scale, self.epsilon)
        else:
            mean = self.ewma_trainer.average(self.mean)
            variance = self.ewma_trainer.average(self.variance)
            local_offset = tf.identity(self.offset)
            local_scale = tf.identity(self.scale)
            return tf.nn.batch_normalization(input, mean, variance, local_offset,
                    local_scale, self.epsilon)
