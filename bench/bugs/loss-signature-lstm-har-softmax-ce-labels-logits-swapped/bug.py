import tensorflow as tf


def LSTM_Network(feature_mat, config):
    feature_mat = tf.transpose(feature_mat, [1, 0, 2])
    feature_mat = tf.reshape(feature_mat, [-1, config.n_inputs])
    hidden = tf.nn.relu(tf.matmul(feature_mat, config.W['hidden']) + config.biases['hidden'])
    hidden = tf.split(hidden, config.n_steps, 0)
    lstm_cell_1 = tf.contrib.rnn.BasicLSTMCell(config.n_hidden, forget_bias=1.0, state_is_tuple=True)
    lstm_cells = tf.contrib.rnn.MultiRNNCell([lstm_cell_1] * 2, state_is_tuple=True)
    outputs, _ = tf.contrib.rnn.static_rnn(lstm_cells, hidden, dtype=tf.float32)
    lstm_last_output = outputs[-1]
    return tf.matmul(lstm_last_output, config.W['output']) + config.biases['output']


def build_loss(config):
    X = tf.placeholder(tf.float32, [None, config.n_steps, config.n_inputs])
    Y = tf.placeholder(tf.float32, [None, config.n_classes])
    pred_Y = LSTM_Network(X, config)
    l2 = config.lambda_loss_amount * sum(tf.nn.l2_loss(tf_var) for tf_var in tf.trainable_variables())
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=pred_Y, logits=Y)) + l2
    optimizer = tf.train.AdamOptimizer(learning_rate=config.learning_rate).minimize(cost)
    return X, Y, pred_Y, cost, optimizer
