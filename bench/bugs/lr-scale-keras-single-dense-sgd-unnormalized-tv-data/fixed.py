import keras
import pandas as pd
from keras.layers import Input, Dense
from keras.models import Model
from sklearn.preprocessing import StandardScaler

advertising = pd.read_csv("Advertising.csv")
x, y = advertising[["TV"]].values, advertising[["sales"]].values
sc = StandardScaler()
x = sc.fit_transform(x)
y = sc.fit_transform(y)

inputs = Input(shape=(1,))
preds = Dense(1, activation='linear')(inputs)

model = Model(inputs=inputs, outputs=preds)
sgd = keras.optimizers.SGD()
model.compile(optimizer=sgd, loss='mse', metrics=['mse'])
model.fit(x, y, batch_size=1, epochs=30, shuffle=False)
