from keras import backend as K
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import Adam


class Agent(object):
    def __init__(self, state_size, action_size):
        self.actor = self.build_actor(state_size, action_size)

    def policyLoss(self, y_true, y_pred):
        loss = K.dot(K.log(y_pred), K.transpose(y_true))
        return -loss

    def build_actor(self, state_size, action_size):
        actor = Sequential()
        actor.add(Dense(24, input_dim=state_size, activation='relu'))
        actor.add(Dense(action_size, activation='softmax'))
        actor.compile(loss=self.policyLoss, optimizer=Adam(lr=0.001))
        return actor

    def train(self, state, baseline, batch_shape):
        return self.actor.train_on_batch(state.reshape(batch_shape), baseline)
