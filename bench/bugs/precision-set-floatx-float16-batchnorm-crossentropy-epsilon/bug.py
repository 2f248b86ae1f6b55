import keras
from keras.layers import Input, Conv2D, BatchNormalization, Activation, Flatten, Dense
from keras.models import Model

keras.backend.set_floatx('float16')

input_layer = keras.layers.Input(shape=(16, 16, 3))
x = BatchNormalization(axis=3)(input_layer)
x = Conv2D(32, (3, 3), padding='same')(x)
x = BatchNormalization(axis=3)(x)
x = Activation('relu')(x)
x = Flatten()(x)
output = Dense(10, activation='softmax')(x)

model = Model(input_layer, output)
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
