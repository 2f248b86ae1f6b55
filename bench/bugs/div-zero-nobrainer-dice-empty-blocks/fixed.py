import tensorflow as tf


def dice(labels, predictions, axis=None):
    """Return Dice coefficient between `labels` and `predictions`."""
    labels = tf.cast(labels, tf.float32)
    predictions = tf.cast(predictions, tf.float32)
    intersection = tf.reduce_sum(labels * predictions, axis=axis)
    denominator = tf.reduce_sum(labels, axis=axis) + tf.reduce_sum(predictions, axis=axis)
    return tf.math.divide_no_nan(2 * intersection, denominator)


def dice_loss(labels, predictions):
    return 1 - dice(labels, predictions, axis=(1, 2, 3))
