import tensorflow as tf
from keras.backend import categorical_crossentropy


def tf_model_loss(y, model, mean=True):
    """
    Define loss of TF graph
    :param y: correct labels
    :param model: output of the model
    :return: return mean of loss if True, otherwise return vector with per
             sample loss
    """
    if mean:
        return tf.reduce_mean(categorical_crossentropy(y, model))
    else:
        return categorical_crossentropy(y, model)
