import tensorflow as tf


def binary_cross_entropy_with_logits(logits, targets, name=None):
    """Computes binary cross entropy given `logits` (sigmoid applied inside)."""
    with tf.name_scope(name, "bce_loss", [logits, targets]):
        logits = tf.convert_to_tensor(logits, name="logits")
        targets = tf.convert_to_tensor(targets, name="targets")
        return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits))
