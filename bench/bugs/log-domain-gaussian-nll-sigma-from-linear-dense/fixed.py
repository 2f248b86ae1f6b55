import math
import tensorflow as tf
from keras import backend as K
from keras.layers import Input, LSTM, Dense
from keras.models import Model

Z_DIM = 32


def rnn_r_loss(y_true, y_pred):
    mu = y_pred[:, :, :Z_DIM]
    sigma = y_pred[:, :, Z_DIM:]
    result = y_true - mu
    result = result * (1.0 / (sigma + 1e-8))
    result = -K.square(result) / 2.0
    result = K.exp(result) * 1.0 / ((math.sqrt(2 * math.pi)) * (sigma + 1e-8))
    loss = -K.log(tf.maximum(result, 1e-8))
    loss = K.mean(loss, axis=1)
    return loss


inputs = Input(shape=(None, Z_DIM + 3))
h = LSTM(256, return_sequences=True)(inputs)
outputs = Dense(2 * Z_DIM)(h)
model = Model(inputs, outputs)
model.compile(optimizer='rmsprop', loss=rnn_r_loss)
