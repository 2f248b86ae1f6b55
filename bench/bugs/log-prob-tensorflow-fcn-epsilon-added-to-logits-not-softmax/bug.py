# FCN semantic segmentation loss (TensorFlow 1.x), after MarvinTeichmann/tensorflow-fcn's loss.py as the
# issue quotes it; the small conv net standing in for the VGG FCN's upscore output and the training loop
# are written here.
import numpy as np
import tensorflow as tf


def loss(logits, labels, num_classes, head=None):
    """Calculate the loss from the logits and the labels.

    Args:
      logits: tensor, float - [batch_size, width, height, num_classes].
          Use vgg_fcn.up as logits.
      labels: Labels tensor, int32 - [batch_size, width, height, num_classes].
          The ground truth of your data.
      head: numpy array - [num_classes]
          Weighting the loss of each class
          Optional: Prioritize some classes

    Returns:
      loss: Loss tensor of type float.
    """
    with tf.name_scope('loss'):
        logits = tf.reshape(logits, (-1, num_classes))
        epsilon = tf.constant(value=1e-4)
        logits = logits + epsilon
        labels = tf.to_float(tf.reshape(labels, (-1, num_classes)))

        softmax = tf.nn.softmax(logits)

        if head is not None:
            cross_entropy = -tf.reduce_sum(tf.mul(labels * tf.log(softmax),
                                           head), reduction_indices=[1])
        else:
            cross_entropy = -tf.reduce_sum(
                labels * tf.log(softmax), reduction_indices=[1])

        cross_entropy_mean = tf.reduce_mean(cross_entropy,
                                            name='xentropy_mean')
        tf.add_to_collection('losses', cross_entropy_mean)

        loss = tf.add_n(tf.get_collection('losses'), name='total_loss')
    return loss


NUM_CLASSES = 2
images = tf.placeholder(tf.float32, [None, 64, 64, 3])
gt = tf.placeholder(tf.int32, [None, 64, 64, NUM_CLASSES])
net = tf.layers.conv2d(images, 16, 3, padding='same', activation=tf.nn.relu)
upscore = tf.layers.conv2d(net, NUM_CLASSES, 1, padding='same')
total_loss = loss(upscore, gt, NUM_CLASSES)
train_op = tf.train.AdamOptimizer(1e-3).minimize(total_loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(1000):
        x = np.random.rand(4, 64, 64, 3).astype(np.float32) * 255.
        mask = (x[..., :1] > 127.).astype(np.int32)
        y = np.concatenate([1 - mask, mask], axis=-1)
        _, l = sess.run([train_op, total_loss], feed_dict={images: x, gt: y})
        print(step, l)
