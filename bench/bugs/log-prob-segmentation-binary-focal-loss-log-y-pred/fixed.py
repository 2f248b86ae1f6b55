import tensorflow as tf
from tensorflow.keras import backend as K


def binary_focal_loss(beta: float, gamma: float = 2.):
    def loss(y_true: tf.Tensor, y_pred: tf.Tensor) -> tf.Tensor:
        f_loss = beta * (1 - y_pred) ** gamma * y_true * K.log(y_pred + K.epsilon())
        f_loss += (1 - beta) * y_pred ** gamma * (1 - y_true) * K.log(1 - y_pred + K.epsilon())
        f_loss = -f_loss
        return tf.reduce_mean(f_loss, axis=-1)
    return loss


def compile_unet(model):
    model.compile(optimizer='adam', loss=binary_focal_loss(beta=0.25))
    return model
