from keras.models import Sequential
from keras.layers import TimeDistributed, Convolution2D, MaxPooling2D, Activation, Flatten, GRU, Dropout, Dense


def buildModel():
    model = Sequential()
    model.add(TimeDistributed(Convolution2D(8, 4, 4, border_mode='valid'), input_shape=(2710, 3, 32, 32)))
    model.add(TimeDistributed(MaxPooling2D(pool_size=(2, 2), border_mode='valid')))
    model.add(Activation('relu'))
    model.add(TimeDistributed(Convolution2D(8, 3, 3, border_mode='valid')))
    model.add(Activation('relu'))
    model.add(TimeDistributed(Flatten()))
    model.add(GRU(output_dim=100, return_sequences=True))
    model.add(GRU(output_dim=50, return_sequences=False))
    model.add(Dropout(.2))
    model.add(Dense(1))
    model.compile(loss='mse', optimizer='rmsprop')
    return model
