from keras import backend as K
from keras.models import Sequential
from keras.layers import Dense


def my_custom_loss(y_true, y_pred):
    t_loss = (-1) * (y_true * K.log(y_pred) + (1 - y_true) * K.log(1 - y_pred))
    return K.mean(t_loss)


model = Sequential()
model.add(Dense(64, activation='relu', input_dim=20))
model.add(Dense(1, activation='sigmoid'))
model.compile(optimizer='adam', loss=my_custom_loss)
