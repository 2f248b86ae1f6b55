import tensorflow as tf


def NonLocalBlock(input_x, out_channels, sub_sample=1, nltype=0, is_bn=False, scope='NonLocalBlock'):
    batchsize, height, width, in_channels = input_x.get_shape().as_list()
    with tf.variable_scope(scope):
        g = tf.layers.conv2d(input_x, out_channels, 1, padding='same', name='g')
        theta = tf.layers.conv2d(input_x, out_channels, 1, padding='same', name='theta')
        phi = tf.layers.conv2d(input_x, out_channels, 1, padding='same', name='phi')

        g_x = tf.reshape(g, [batchsize, -1, out_channels])
        theta_x = tf.reshape(theta, [batchsize, -1, out_channels])
        phi_x = tf.reshape(phi, [batchsize, -1, out_channels])
        phi_x = tf.transpose(phi_x, [0, 2, 1])

        f = tf.matmul(theta_x, phi_x)
        if nltype <= 1:
            f_softmax = tf.nn.softmax(f, -1)
        y = tf.matmul(f_softmax, g_x)
        y = tf.reshape(y, [batchsize, height, width, out_channels])
        w_y = tf.layers.conv2d(y, in_channels, 1, padding='same', name='w')
        z = input_x + w_y
        return z
