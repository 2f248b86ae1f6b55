from keras.models import Sequential
from keras.layers import LSTM, Dropout, Dense
from keras.optimizers import SGD

MAX_TIMESTEPS = 1000
MAX_FEATURES = 20


def train(X_train, Y_train, X_test, Y_test):
    sgd = SGD(lr=0.0008, decay=1e-6, momentum=0.9, nesterov=True)
    model = Sequential()
    model.add(LSTM(64, input_shape=(MAX_TIMESTEPS, MAX_FEATURES)))
    model.add(Dropout(0.3))
    model.add(Dense(1))
    model.compile(loss='mean_absolute_error', optimizer=sgd)

    batch_size = 32
    model.fit(X_train, Y_train, batch_size=batch_size, epochs=20, validation_split=0.2)
    return model.evaluate(X_test, Y_test, batch_size=batch_size)
