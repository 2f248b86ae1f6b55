import numpy as np
from keras.models import Sequential
from keras.layers import Masking, LSTM, Dense, TimeDistributed

X = np.zeros((3000, 50, 100))
y = np.zeros((3000, 97))

model = Sequential()
model.add(Masking(mask_value=0., input_shape=(None, 100)))
model.add(LSTM(128, dropout=0.2, recurrent_dropout=0.2, return_sequences=True))
model.add(TimeDistributed(Dense(97, activation='softmax')))
model.compile(loss='categorical_crossentropy', optimizer='adam')
model.fit(X, y, batch_size=32, epochs=10)
