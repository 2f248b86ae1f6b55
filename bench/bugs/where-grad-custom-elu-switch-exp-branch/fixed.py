from keras.models import Sequential
from keras.layers import Dense, Activation, Dropout
from keras.optimizers import SGD
from keras import backend as K
from keras.utils.generic_utils import get_custom_objects


def custom_activation(x):
    cond = K.greater(x, 0)
    return K.switch(cond, x, K.exp(K.minimum(x, 0.)) - 1)


get_custom_objects().update({'custom_activation': Activation(custom_activation)})

model = Sequential([
    Dense(128, input_shape=(784,)),
    Activation(custom_activation),
    Dropout(0.2),
    Dense(10),
    Activation('softmax'),
])
model.compile(loss='categorical_crossentropy', optimizer=SGD(), metrics=['accuracy'])
