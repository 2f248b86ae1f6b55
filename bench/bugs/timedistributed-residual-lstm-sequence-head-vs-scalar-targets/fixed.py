import numpy as np
from keras.layers import Input, LSTM, Dense, TimeDistributed, add
from keras.models import Model

X = np.zeros((1822, 30, 24))
y = np.zeros((1822, 1))

input = Input(shape=(None, 24), name='input')
x1 = LSTM(50, return_sequences=True, kernel_initializer="orthogonal", dropout=0.2)(input)
x2 = LSTM(50, return_sequences=True, kernel_initializer="orthogonal", dropout=0.2)(x1)
x3 = LSTM(50, return_sequences=True, kernel_initializer="orthogonal", dropout=0.2)(x2)
merged = add([x3, x1])
last = LSTM(50, return_sequences=False, kernel_initializer="orthogonal")(merged)
output = Dense(1, activation='linear', kernel_initializer='orthogonal')(last)
model = Model(inputs=input, outputs=output)
model.compile(optimizer='adam', loss='mse')
model.fit(X, y, epochs=10)
