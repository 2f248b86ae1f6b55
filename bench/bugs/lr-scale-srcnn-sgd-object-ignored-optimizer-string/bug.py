from keras.models import Sequential
from keras.layers import Convolution2D, Activation
from keras.optimizers import SGD


def build_model():
    cnn_model = Sequential()
    cnn_model.add(Convolution2D(64, 9, 9, border_mode='valid', init='glorot_normal', input_shape=(3, 32, 32)))
    cnn_model.add(Activation('relu'))
    cnn_model.add(Convolution2D(32, 1, 1, border_mode='valid', init='glorot_normal'))
    cnn_model.add(Activation('relu'))
    cnn_model.add(Convolution2D(3, 5, 5, border_mode='valid', init='glorot_normal'))

    sgd = SGD(lr=10e-4)
    cnn_model.compile(loss='mean_squared_error', optimizer='sgd')
    return cnn_model
