# qiita.com/Mco7777/items/272d7b502af5c24fe80c: the network as the post shows it
# ("greatly simplified" by its author); the training set-up is not shown.
# The post has no fix; the tanh output is clipped to [-1, 1] here (written for this case).
from keras.models import Model

from keras.layers import Dense, Activation, Input
import keras.backend as K

inputs = Input(shape=(5, ))
mid_layer = Dense(2)(inputs)
tanh = Activation('tanh')(mid_layer)
outputs = K.sqrt(0.5 * (1.0 + K.clip(tanh, -1.0, 1.0)) + K.epsilon())
model = Model(inputs, outputs)
