import keras
from keras.models import Model
from keras.optimizers import Adam


def get_test_mode():
    input = keras.Input(shape=(10, 10), dtype='float', name='raw_image_left')
    test = keras.layers.Dense(units=64, activation='relu', name='middle')(input)
    test = keras.layers.Flatten()(test)
    test = keras.layers.Lambda(lambda x: keras.backend.sqrt(x), name='error_point')(test)
    output = keras.layers.Dense(units=1, name='out')(test)
    model = Model(inputs=input, outputs=output)
    model.compile(optimizer=Adam(lr=1e-3), loss='mse')
    return model
