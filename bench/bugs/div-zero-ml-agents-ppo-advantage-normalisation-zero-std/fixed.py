import numpy as np
import tensorflow as tf
import re
import os

from ppo.buffer import *
from ppo.models import *
import logging
logger = logging.getLogger("unityagents")

class Trainer(object):
    def __init__(self, sess, env, brain_name, trainer_parameters, training):
        """
        Responsible for collecting experiences and training PPO model.
        :param sess: Tensorflow session.
        :param env: The UnityEnvironment.
        :param  trainer_parameters: The parameters for the trainer (dictionary).
        :param training: Whether the trainer is set for training.
        """
        with tf.variable_scope(re.sub('[^0-9a-zA-Z]+', '-', brain_name)):
            self.model = create_agent_model(env.brains[brain_name],
                   lr=trainer_parameters['learning_rate'],
                   h_size=trainer_parameters['hidden_units'],
                   epsilon=trainer_parameters['epsilon'],
                   beta=trainer_parameters['beta'],
                   max_step=trainer_parameters['max_steps'],
                   normalize=trainer_parameters['normalize'],
                   num_layers=trainer_parameters['num_layers'])
        self.sess = sess
        stats = {'cumulative_reward': [], 'episode_length': [], 'value_estimate': [],
                 'entropy': [], 'value_loss': [], 'policy_loss': [], 'learning_rate': []}
        self.stats = stats
        self.is_training = training
        self.training_buffer = Buffer()
        self.cumulative_rewards = {}
        self.episode_steps = {}
        self.is_continuous = (env.brains[brain_name].action_space_type == "continuous")
        self.use_observations = (env.brains[brain_name].number_observations > 0)
        self.use_states = (env.brains[brain_name].state_space_size > 0)
        self.max_step = trainer_parameters['max_steps']
        self.buffer_size = trainer_parameters['buffer_size']
        self.batch_size = trainer_parameters['batch_size']
        self.num_epoch = trainer_parameters['num_epoch']
        self.brain_name = brain_name

    def process_experiences(self, info, time_horizon, gamma, lambd):
        """
        Checks agent histories for processing condition, and processes them as necessary.
        Processing involves calculating value and advantage targets for model updating step.
        :param info: Current BrainInfo
        :param time_horizon: Max steps for individual agent history before processing.
        :param gamma: Discount factor.
        :param lambd: GAE factor.
        """
        for l in range(len(info.agents)):
            if (info.local_done[l] or len(self.training_buffer[info.agents[l]]['actions']) > time_horizon) and len(
                    self.training_buffer[info.agents[l]]['actions']) > 0:
                if info.local_done[l]:
                    value_next = 0.0
                else:
                    feed_dict = {self.model.batch_size: len(info.states)}
                    if self.use_observations:
                        feed_dict[self.model.observation_in] = np.vstack(info.observations)
                    if self.use_states:
                        feed_dict[self.model.state_in] = info.states
                    value_next = self.sess.run(self.model.value, feed_dict)[l]
                agent_id = info.agents[l]
                self.training_buffer[agent_id]['advantages'].set(
                    get_gae(
                        rewards=self.training_buffer[agent_id]['rewards'].get_batch(),
                        value_estimates=self.training_buffer[agent_id]['value_estimates'].get_batch(),
                        value_next=value_next, gamma=gamma, lambd=lambd)
                )
                self.training_buffer[agent_id]['discounted_returns'].set( \
                 self.training_buffer[agent_id]['advantages'].get_batch() \
                 + self.training_buffer[agent_id]['value_estimates'].get_batch())
                self.training_buffer.append_global(agent_id)
                self.training_buffer[agent_id].reset_agent()

    def is_ready_update(self):
        """
        Returns wether or not the trainer has enough elements to run update model
        :return: A boolean corresponding to wether or not update_model() can be run
        """
        return len(self.training_buffer.global_buffer['actions']) > self.buffer_size

    def update_model(self):
        """
        Uses training_buffer to update model.
        :param batch_size: Size of each mini-batch update.
        :param num_epoch: How many passes through data to update model for.
        """
        num_epoch = self.num_epoch
        batch_size = self.batch_size
        total_v, total_p = 0, 0
        advantages = self.training_buffer.global_buffer['advantages'].get_batch()
        self.training_buffer.global_buffer['advantages'].set(
           (advantages - advantages.mean()) / (advantages.std() + 1e-10))
        for k in range(num_epoch):
            self.training_buffer.global_buffer.shuffle()
            for l in range(len(self.training_buffer.global_buffer['actions']) // batch_size):
                start = l * batch_size
                end = (l + 1) * batch_size
                feed_dict = {self.model.returns_holder: self.training_buffer.global_buffer['discounted_returns'][start:end],
                             self.model.advantage: np.vstack(self.training_buffer.global_buffer['advantages'][start:end]),
                             self.model.old_probs: np.vstack(self.training_buffer.global_buffer['action_probs'][start:end])}
                if self.is_continuous:
                    feed_dict[self.model.epsilon] = np.vstack(self.training_buffer.global_buffer['epsilons'][start:end])
                else:
                    feed_dict[self.model.action_holder] = np.hstack(self.training_buffer.global_buffer['actions'][start:end])
                if self.use_states:
                    feed_dict[self.model.state_in] = np.vstack(self.training_buffer.global_buffer['states'][start:end])
                if self.use_observations:
                    feed_dict[self.model.observation_in] = np.vstack(self.training_buffer.global_buffer['observations'][start:end])
                v_loss, p_loss, _ = self.sess.run([self.model.value_loss, self.model.policy_loss,
                                                   self.model.update_batch], feed_dict=feed_dict)
                total_v += v_loss
                total_p += p_loss
        self.stats['value_loss'].append(total_v)
        self.stats['policy_loss'].append(total_p)
        self.training_buffer.reset_global()
