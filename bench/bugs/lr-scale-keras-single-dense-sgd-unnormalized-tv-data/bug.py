import keras
import pandas as pd
from keras.layers import Input, Dense
from keras.models import Model

advertising = pd.read_csv("Advertising.csv")
x, y = advertising[["TV"]].values, advertising[["sales"]].values

inputs = Input(shape=(1,))
preds = Dense(1, activation='linear')(inputs)

model = Model(inputs=inputs, outputs=preds)
sgd = keras.optimizers.SGD()
model.compile(optimizer=sgd, loss='mse', metrics=['mse'])
model.fit(x, y, batch_size=1, epochs=30, shuffle=False)
