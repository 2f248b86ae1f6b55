# pix2pix-tensorflow (TF1), condensed: the conv/deconv/batchnorm helpers, a two-level U-Net
# generator with a tanh output, the PatchGAN discriminator with a sigmoid output, and
# create_model's losses and train ops. The reporter replaced the generator's L1 term with a
# custom loss (gen_loss_custom).
import collections

import tensorflow as tf

EPS = 1e-12

Model = collections.namedtuple("Model", "outputs, predict_real, predict_fake, discrim_loss, "
                                        "gen_loss_GAN, gen_loss_custom, train")


class Args(object):
    ngf = 64
    ndf = 64
    gan_weight = 1.0
    l1_weight = 100.0
    lr = 0.0002
    beta1 = 0.5


a = Args()


def conv(batch_input, out_channels, stride):
    in_channels = batch_input.get_shape()[3]
    kernel = tf.get_variable("filter", [4, 4, in_channels, out_channels], dtype=tf.float32,
                             initializer=tf.random_normal_initializer(0, 0.02))
    padded_input = tf.pad(batch_input, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="CONSTANT")
    return tf.nn.conv2d(padded_input, kernel, [1, stride, stride, 1], padding="VALID")


def deconv(batch_input, out_channels):
    batch, in_height, in_width, in_channels = [int(d) for d in batch_input.get_shape()]
    kernel = tf.get_variable("filter", [4, 4, out_channels, in_channels], dtype=tf.float32,
                             initializer=tf.random_normal_initializer(0, 0.02))
    return tf.nn.conv2d_transpose(batch_input, kernel, [batch, in_height * 2, in_width * 2, out_channels],
                                  [1, 2, 2, 1], padding="SAME")


def lrelu(x, leak):
    return (0.5 * (1 + leak)) * x + (0.5 * (1 - leak)) * tf.abs(x)


def batchnorm(input):
    return tf.layers.batch_normalization(input, axis=3, epsilon=1e-5, momentum=0.1, training=True,
                                         gamma_initializer=tf.random_normal_initializer(1.0, 0.02))


def create_generator(generator_inputs, generator_outputs_channels):
    layers = []
    with tf.variable_scope("encoder_1"):
        layers.append(conv(generator_inputs, a.ngf, stride=2))
    with tf.variable_scope("encoder_2"):
        layers.append(batchnorm(conv(lrelu(layers[-1], 0.2), a.ngf * 2, stride=2)))
    with tf.variable_scope("decoder_2"):
        layers.append(batchnorm(deconv(tf.nn.relu(layers[-1]), a.ngf)))
    with tf.variable_scope("decoder_1"):
        input = tf.concat([layers[-1], layers[0]], axis=3)
        output = deconv(tf.nn.relu(input), generator_outputs_channels)
        layers.append(tf.tanh(output))
    return layers[-1]


def create_discriminator(discrim_inputs, discrim_targets):
    input = tf.concat([discrim_inputs, discrim_targets], axis=3)
    with tf.variable_scope("layer_1"):
        rectified = lrelu(conv(input, a.ndf, stride=2), 0.2)
    with tf.variable_scope("layer_2"):
        rectified = lrelu(batchnorm(conv(rectified, a.ndf * 2, stride=2)), 0.2)
    with tf.variable_scope("layer_3"):
        return tf.sigmoid(conv(rectified, out_channels=1, stride=1))


def create_model(inputs, targets):
    with tf.variable_scope("generator"):
        out_channels = int(targets.get_shape()[-1])
        outputs = create_generator(inputs, out_channels)

    with tf.name_scope("real_discriminator"):
        with tf.variable_scope("discriminator"):
            predict_real = create_discriminator(inputs, targets)

    with tf.name_scope("fake_discriminator"):
        with tf.variable_scope("discriminator", reuse=True):
            predict_fake = create_discriminator(inputs, outputs)

    with tf.name_scope("discriminator_loss"):
        discrim_loss = tf.reduce_mean(-(tf.log(predict_real + EPS) + tf.log(1 - predict_fake + EPS)))

    with tf.name_scope("generator_loss"):
        gen_loss_GAN = tf.reduce_mean(-tf.log(predict_fake + EPS))
        gen_loss_custom = tf.reduce_mean(tf.sqrt(tf.abs(tf.square(targets) - tf.square(outputs))))
        gen_loss = gen_loss_GAN * a.gan_weight + gen_loss_custom * a.l1_weight

    with tf.name_scope("discriminator_train"):
        discrim_tvars = [var for var in tf.trainable_variables() if var.name.startswith("discriminator")]
        discrim_optim = tf.train.AdamOptimizer(a.lr, a.beta1)
        discrim_grads_and_vars = discrim_optim.compute_gradients(discrim_loss, var_list=discrim_tvars)
        discrim_train = discrim_optim.apply_gradients(discrim_grads_and_vars)

    with tf.name_scope("generator_train"):
        with tf.control_dependencies([discrim_train]):
            gen_tvars = [var for var in tf.trainable_variables() if var.name.startswith("generator")]
            gen_optim = tf.train.AdamOptimizer(a.lr, a.beta1)
            gen_grads_and_vars = gen_optim.compute_gradients(gen_loss, var_list=gen_tvars)
            gen_train = gen_optim.apply_gradients(gen_grads_and_vars)

    global_step = tf.train.get_or_create_global_step()
    incr_global_step = tf.assign(global_step, global_step + 1)

    return Model(outputs=outputs, predict_real=predict_real, predict_fake=predict_fake,
                 discrim_loss=discrim_loss, gen_loss_GAN=gen_loss_GAN, gen_loss_custom=gen_loss_custom,
                 train=tf.group(incr_global_step, gen_train))
