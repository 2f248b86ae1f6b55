from __future__ import division

import numpy as np
import keras.backend as K

from rl.policy import EpsGreedyQPolicy, GreedyQPolicy


def mean_q(y_true, y_pred):
    return K.mean(K.max(y_pred, axis=-1))


class DQNAgent(object):
    def __init__(self, model, nb_actions, memory, policy=None, test_policy=None,
                 gamma=.99, batch_size=32, nb_steps_warmup=1000, train_interval=1,
                 memory_interval=1, target_model_update=10000, processor=None):
        self.model = model
        self.nb_actions = nb_actions
        self.memory = memory
        self.gamma = gamma
        self.batch_size = batch_size
        self.nb_steps_warmup = nb_steps_warmup
        self.train_interval = train_interval
        self.memory_interval = memory_interval
        self.target_model_update = target_model_update
        self.processor = processor
        if policy is None:
            policy = EpsGreedyQPolicy()
        if test_policy is None:
            test_policy = GreedyQPolicy()
        self.policy = policy
        self.test_policy = test_policy
        self.training = False
        self.step = 0

    def process_state_batch(self, batch):
        batch = np.array(batch)
        if self.processor is None:
            return batch
        return self.processor.process_state_batch(batch)

    def compute_batch_q_values(self, state_batch):
        batch = self.process_state_batch(state_batch)
        q_values = self.model.predict_on_batch(batch)
        assert q_values.shape == (len(state_batch), self.nb_actions)
        return q_values

    def compute_q_values(self, state):
        q_values = self.compute_batch_q_values([state]).flatten()
        assert q_values.shape == (self.nb_actions,)
        return q_values

    def forward(self, observation):
        # Select an action.
        state = self.memory.get_recent_state(observation)
        q_values = self.compute_q_values(state)
        if self.training:
            action = self.policy.select_action(q_values=q_values)
        else:
            action = self.test_policy.select_action(q_values=q_values)

        # Book-keeping.
        self.recent_observation = observation
        self.recent_action = action

        return action
