from keras.callbacks import EarlyStopping
from keras.layers import Activation, Dense, Dropout
from keras.models import Sequential
from keras.optimizers import SGD


def train(X_train, Y_train, X_test, Y_test, n_train):
    model = Sequential()
    model.add(Dense(1024, input_shape=(n_train,)))
    model.add(Activation('relu'))
    model.add(Dropout(0.1))

    model.add(Dense(512))
    model.add(Activation('relu'))
    model.add(Dropout(0.1))

    model.add(Dense(256))
    model.add(Activation('relu'))
    model.add(Dropout(0.1))
    model.add(Dense(1))

    sgd = SGD(lr=0.01, nesterov=True)
    model.compile(loss='mean_absolute_error', optimizer=sgd)
    model.fit(X_train, Y_train, batch_size=32, nb_epoch=3, verbose=1, validation_data=(X_test, Y_test),
              callbacks=[EarlyStopping(monitor='val_loss', patience=4)])
    return model
