import tensorflow as tf


class PolicyValueNet():
    def __init__(self, board_width, board_height):
        self.board_width = board_width
        self.board_height = board_height
        self.input_states = tf.placeholder(tf.float32, shape=[None, 4, board_height, board_width])
        self.input_state = tf.transpose(self.input_states, [0, 2, 3, 1])
        self.conv1 = tf.layers.conv2d(inputs=self.input_state, filters=32, kernel_size=[3, 3],
                                      padding="same", activation=tf.nn.relu)
        self.action_conv = tf.layers.conv2d(inputs=self.conv1, filters=4, kernel_size=[1, 1],
                                            padding="same", activation=tf.nn.relu)
        self.action_conv_flat = tf.reshape(self.action_conv, [-1, 4 * board_height * board_width])
        policy_net_out = tf.layers.dense(inputs=self.action_conv_flat, units=board_height * board_width)
        self.action_probs = tf.nn.softmax(policy_net_out, name="policy_net_proba")

        self.evaluation_fc1 = tf.layers.dense(inputs=self.action_conv_flat, units=64, activation=tf.nn.relu)
        self.evaluation_fc2 = tf.layers.dense(inputs=self.evaluation_fc1, units=1, activation=tf.nn.tanh)

        self.labels = tf.placeholder(tf.float32, shape=[None, 1])
        self.value_loss = tf.losses.mean_squared_error(self.labels, self.evaluation_fc2)
        self.mcts_probs = tf.placeholder(tf.float32, shape=[None, board_height * board_width])
        cross_entropy = tf.nn.softmax_cross_entropy_with_logits(logits=self.action_probs, labels=self.mcts_probs)
        self.policy_loss = tf.reduce_mean(cross_entropy)
        self.loss = self.value_loss + self.policy_loss
        self.learning_rate = tf.placeholder(tf.float32)
        self.optimizer = tf.train.AdamOptimizer(learning_rate=self.learning_rate).minimize(self.loss)
