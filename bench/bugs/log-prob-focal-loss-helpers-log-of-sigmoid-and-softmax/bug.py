import tensorflow as tf


def focal_loss_sigmoid(labels, logits, alpha=0.25, gamma=2):
    y_pred = tf.nn.sigmoid(logits)
    labels = tf.to_float(labels)
    L = -labels * (1 - alpha) * ((1 - y_pred) ** gamma) * tf.log(y_pred) - \
        (1 - labels) * alpha * (y_pred ** gamma) * tf.log(1 - y_pred)
    return L


def focal_loss_softmax(labels, logits, gamma=2):
    y_pred = tf.nn.softmax(logits, dim=-1)
    labels = tf.one_hot(labels, depth=y_pred.shape[1])
    L = -labels * ((1 - y_pred) ** gamma) * tf.log(y_pred)
    L = tf.reduce_sum(L, axis=1)
    return L
