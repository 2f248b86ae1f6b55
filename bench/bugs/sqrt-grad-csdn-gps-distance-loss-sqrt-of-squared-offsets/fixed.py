import tensorflow as tf
from keras import backend as K


def gps_distance_loss(y_true, y_pred):
    lx = y_true[:, 0] - y_pred[:, 0]
    ly = y_true[:, 1] - y_pred[:, 1]
    return K.mean(tf.sqrt(tf.add(tf.add(tf.square(lx), tf.square(ly)), 1e-10)))
