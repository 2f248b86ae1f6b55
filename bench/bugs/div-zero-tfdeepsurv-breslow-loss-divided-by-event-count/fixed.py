import os
import pandas as pd
import numpy as np
import tensorflow as tf

from .utils import _check_config
from .utils import _check_surv_data
from .utils import _prepare_surv_data
from .utils import concordance_index
from .utils import baseline_survival_function


class dsnn(object):
    """dsnn model"""
    def __init__(self, input_nodes, hidden_layers_nodes, config={}):
        super(dsnn, self).__init__()
        # neural nodes
        self.input_nodes = input_nodes
        self.hidden_layers_nodes = hidden_layers_nodes
        assert hidden_layers_nodes[-1] == 1
        # network hyper-parameters
        _check_config(config)
        self.config = config
        # graph level random seed
        tf.set_random_seed(config["seed"])
        # some gobal settings
        self.global_step = tf.get_variable('global_step', initializer=tf.constant(0), trainable=False)
        self.keep_prob = tf.placeholder(tf.float32)

        # It's the best way to use `tf.placeholder` instead of `tf.data.Dataset`.
        # Since style of `batch` is not appropriate in survival analysis.
        self.X = tf.placeholder(tf.float32, [None, input_nodes], name='X-Input')
        self.Y = tf.placeholder(tf.float32, [None, 1], name='Y-Input')

    def _create_fc_layer(self, x, output_dim, scope):
        with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
            w = tf.get_variable('weights', [x.shape[1], output_dim],
                initializer=tf.truncated_normal_initializer(stddev=0.1)
            )

            b = tf.get_variable('biases', [output_dim],
                initializer=tf.constant_initializer(0.0)
            )

            # add weights and bias to collections
            tf.add_to_collection("var_weight", w)
            tf.add_to_collection("var_bias", b)

            layer_out = tf.nn.dropout(tf.matmul(x, w) + b, self.keep_prob)

            if self.config['activation'] == 'relu':
                layer_out = tf.nn.relu(layer_out)
            elif self.config['activation'] == 'sigmoid':
                layer_out = tf.nn.sigmoid(layer_out)
            elif self.config['activation'] == 'tanh':
                layer_out = tf.nn.tanh(layer_out)
            else:
                raise NotImplementedError('activation not recognized')

            return layer_out

    def _create_network(self):
        """
        Define the neural network that only includes FC layers.
        """
        with tf.name_scope("hidden_layers"):
            cur_x = self.X
            for i, num_nodes in enumerate(self.hidden_layers_nodes):
                cur_x = self._create_fc_layer(cur_x, num_nodes, "layer"+str(i+1))
            # output of network
            self.Y_hat = cur_x

    def _create_loss(self):
        """
        Define the loss function: negative log of Breslow Approximation partial likelihood function.
        """
        with tf.name_scope("loss"):
            # Obtain T and E from self.Y
            # NOTE: negtive value means E = 0
            Y_c = tf.squeeze(self.Y)
            Y_hat_c = tf.squeeze(self.Y_hat)
            Y_label_T = tf.abs(Y_c)
            Y_label_E = tf.cast(tf.greater(Y_c, 0), dtype=tf.float32)
            Obs = tf.reduce_sum(Y_label_E)

            Y_hat_hr = tf.exp(Y_hat_c)
            Y_hat_cumsum = tf.log(tf.cumsum(Y_hat_hr))

            # Start Computation of Loss function

            # Get Segment from T
            unique_values, segment_ids = tf.unique(Y_label_T)
            # Get Segment_max
            loss_s2_v = tf.segment_max(Y_hat_cumsum, segment_ids)
            # Get Segment_count
            loss_s2_count = tf.segment_sum(Y_label_E, segment_ids)
            # Compute S2
            loss_s2 = tf.reduce_sum(tf.multiply(loss_s2_v, loss_s2_count))
            # Compute S1
            loss_s1 = tf.reduce_sum(tf.multiply(Y_hat_c, Y_label_E))
            # Compute Breslow Loss
            loss_breslow = tf.divide(tf.subtract(loss_s2, loss_s1), Obs)

            # Compute Regularization Term Loss
            reg_item = tf.contrib.layers.l1_l2_regularizer(self.config["L1_reg"], self.config["L2_reg"])
            loss_reg = tf.contrib.layers.apply_regularization(reg_item, tf.get_collection("var_weight"))

            # Loss function = Breslow Function + Regularization Term
            self.loss = tf.add(loss_breslow, loss_reg)

    def _create_optimizer(self):
        """
        Define optimizer
        """
        # SGD Optimizer
        if self.config["optimizer"] == 'sgd':
            lr = tf.train.exponential_decay(
                self.config["learning_rate"],
                self.global_step,
                1,
                self.config["learning_rate_decay"]
            )
            self.optimizer = tf.train.GradientDescentOptimizer(lr).minimize(self.loss, global_step=self.global_step)
        # Adam Optimizer
        elif self.config["optimizer"] == 'adam':
            self.optimizer = tf.train.AdamOptimizer(self.config["learning_rate"]).minimize(self.loss, global_step=self.global_step)
        elif self.config["optimizer"] == 'rms':
            self.optimizer = tf.train.RMSPropOptimizer(self.config["learning_rate"]).minimize(self.loss, global_step=self.global_step)
        else:
            raise NotImplementedError('Optimizer not recognized')

    def build_graph(self):
        """Build graph of DeepCox
        """
        self._create_network()
        self._create_loss()
        self._create_optimizer()
        self.sess = tf.Session()

    def train(self, data_X, data_y, num_steps, num_skip_steps=1, silent=False):
        """
        Training DeepCox model.
        """
        # dataset pre-processing
        self.indices, self.train_data_X, self.train_data_y = _prepare_surv_data(data_X, data_y)

        # data to feed
        feed_data = {
            self.keep_prob: self.config['dropout_keep_prob'],
            self.X: self.train_data_X.values,
            self.Y: self.train_data_y.values
        }

        # Session Running
        self.sess.run(tf.global_variables_initializer())

        total_loss = 0.0
        initial_step = self.global_step.eval(session=self.sess)
        watch_list = {'loss': [], 'metrics': []}
        # a batch with no event observation makes Obs 0 in the Breslow loss: skip it
        has_event = bool(np.any(self.train_data_y.values > 0))
        for index in range(initial_step, initial_step + num_steps):
            if not has_event:
                continue
            y_hat, loss_value, _ = self.sess.run([self.Y_hat, self.loss, self.optimizer], feed_dict=feed_data)
            watch_list['loss'].append(loss_value)
            watch_list['metrics'].append(concordance_index(self.train_data_y.values, y_hat))
            total_loss += loss_value
            if (index + 1) % num_skip_steps == 0:
                if (not silent):
                    print('Average loss at step {}: {:.5f}'.format(index + 1, total_loss / num_skip_steps))
                total_loss = 0.0

        return watch_list
