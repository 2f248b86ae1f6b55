import tensorflow as tf


def tf_model_loss(y, model, mean=True):
    """
    Define loss of TF graph
    :param y: correct labels
    :param model: output of the model
    :return: return mean of loss if True, otherwise return vector with per
             sample loss
    """
    op = model.op
    if "softmax" in str(op).lower():
        logits, = op.inputs
    else:
        logits = model
    out = tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=y)
    if mean:
        out = tf.reduce_mean(out)
    return out
