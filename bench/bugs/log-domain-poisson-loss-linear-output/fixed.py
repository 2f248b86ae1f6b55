from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dropout, Dense, Merge

left = Sequential()
left.add(Embedding(len(X_1), 256))
left.add(LSTM(256))
left.add(Dropout(0.3))
left.add(Dense(128))

right = Sequential()
right.add(LSTM(512, input_dim=X_1.shape[2], return_sequences=True))
right.add(Dropout(0.3))
right.add(LSTM(256, return_sequences=False))
right.add(Dropout(0.1))
right.add(Dense(128))

model = Sequential()
model.add(Merge([left, right], mode='sum'))
model.add(Dense(1, activation='softplus'))

model.compile(loss='poisson', optimizer='adam')
components = model.fit([X_1, X_2], y, batch_size=256, nb_epoch=20, validation_split=0.1)
