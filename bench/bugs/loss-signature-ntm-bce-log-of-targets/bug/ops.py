import tensorflow as tf


def binary_cross_entropy_with_logits(logits, targets, name=None):
    """Computes binary cross entropy given `logits`.

    For brevity, let `x = logits`, `z = targets`.  The logistic loss is

        loss(x, z) = - sum_i (x[i] * log(z[i]) + (1 - x[i]) * log(1 - z[i]))
    """
    eps = 1e-12
    with tf.name_scope(name, "bce_loss", [logits, targets]):
        logits = tf.convert_to_tensor(logits, name="logits")
        targets = tf.convert_to_tensor(targets, name="targets")
        return tf.reduce_mean(-(logits * tf.log(targets + eps) +
                                (1. - logits) * tf.log(1. - targets + eps)))
