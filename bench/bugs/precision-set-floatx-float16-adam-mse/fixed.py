from keras import backend as K
from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dense, Dropout
from keras.optimizers import Adam

K.set_floatx('float16')
K.set_epsilon(1e-4)

model = Sequential()
model.add(Conv2D(24, (5, 5), strides=(2, 2), activation='elu', input_shape=(160, 320, 3)))
model.add(Conv2D(36, (5, 5), strides=(2, 2), activation='elu'))
model.add(Conv2D(48, (5, 5), strides=(2, 2), activation='elu'))
model.add(Flatten())
model.add(Dropout(0.5))
model.add(Dense(100, activation='elu'))
model.add(Dense(1))
model.compile(loss='mse', optimizer=Adam(lr=1e-4))
model.fit(X, y, epochs=10, batch_size=32)
