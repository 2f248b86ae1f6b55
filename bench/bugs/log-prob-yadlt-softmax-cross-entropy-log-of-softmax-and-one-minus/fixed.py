# Deep-Learning-TensorFlow (yadlt) abstract Model's cost node (TensorFlow 0.x/1.x), after
# yadlt/core/model.py before PR #31; the directory/summary helpers are left out and the small
# supervised subclass and the training driver are written here.
import numpy as np
import tensorflow as tf


class Model(object):

    """ Class representing an abstract Model.
    """

    def __init__(self, model_name):
        self.model_name = model_name
        self.input_data = None
        self.input_labels = None
        self.keep_prob = None
        self.layer_nodes = []  # list of layers of the final network
        self.last_out = None
        self.train_step = None
        self.cost = None
        self.verbose = 0
        self.tf_session = None

    def _initialize_training_parameters(self, loss_func, learning_rate, num_epochs, batch_size,
                                        dataset, opt, dropout=1, momentum=None, l2reg=None):
        self.loss_func = loss_func
        self.learning_rate = learning_rate
        self.dropout = dropout
        self.num_epochs = num_epochs
        self.batch_size = batch_size
        self.dataset = dataset
        self.opt = opt
        self.momentum = momentum
        self.l2reg = l2reg

    def _create_last_layer(self, last_layer, n_classes):
        with tf.name_scope("last_layer"):
            self.last_W = tf.Variable(tf.truncated_normal([last_layer.get_shape()[1].value, n_classes], stddev=0.1),
                                      name='sm-weigths')
            self.last_b = tf.Variable(tf.constant(0.1, shape=[n_classes]), name='sm-biases')
            last_out = tf.matmul(last_layer, self.last_W) + self.last_b
            self.layer_nodes.append(last_out)
            self.last_out = last_out
            return last_out

    def _create_cost_function_node(self, model_output, ref_input, regterm=None):
        with tf.name_scope("cost"):
            if self.loss_func == 'cross_entropy':
                cost = - tf.reduce_mean(ref_input * tf.log(tf.clip_by_value(model_output, 1e-10, float('inf'))) +
                                        (1 - ref_input) * tf.log(tf.clip_by_value(1 - model_output, 1e-10, float('inf'))))

            elif self.loss_func == 'softmax_cross_entropy':
                cost = tf.contrib.losses.softmax_cross_entropy(
                    model_output, ref_input)

            elif self.loss_func == 'mean_squared':
                cost = tf.sqrt(tf.reduce_mean(tf.square(ref_input - model_output)))

            else:
                cost = None

        if cost is not None:
            self.cost = cost + regterm if regterm is not None else cost
        else:
            self.cost = None

    def _create_train_step_node(self):
        with tf.name_scope("train"):
            if self.opt == 'gradient_descent':
                self.train_step = tf.train.GradientDescentOptimizer(self.learning_rate).minimize(self.cost)

            elif self.opt == 'ada_grad':
                self.train_step = tf.train.AdagradOptimizer(self.learning_rate).minimize(self.cost)

            elif self.opt == 'momentum':
                self.train_step = tf.train.MomentumOptimizer(self.learning_rate, self.momentum).minimize(self.cost)

            elif self.opt == 'adam':
                self.train_step = tf.train.AdamOptimizer(self.learning_rate).minimize(self.cost)

            else:
                self.train_step = None


class HiddenLayerClassifier(Model):

    """ One ReLU hidden layer and the Model's softmax last layer, finetuned with loss_func. """

    def __init__(self, n_features, n_hidden, n_classes, loss_func='softmax_cross_entropy',
                 learning_rate=0.01, num_epochs=50, batch_size=32, opt='adam'):
        Model.__init__(self, 'hidden_layer_classifier')
        self._initialize_training_parameters(loss_func, learning_rate, num_epochs, batch_size,
                                             'custom', opt)
        self.input_data = tf.placeholder(tf.float32, [None, n_features], name='x-input')
        self.input_labels = tf.placeholder(tf.float32, [None, n_classes], name='y-input')
        W = tf.Variable(tf.truncated_normal([n_features, n_hidden], stddev=0.1))
        b = tf.Variable(tf.constant(0.1, shape=[n_hidden]))
        hidden = tf.nn.relu(tf.matmul(self.input_data, W) + b)
        last_out = self._create_last_layer(hidden, n_classes)
        self._create_cost_function_node(last_out, self.input_labels)
        self._create_train_step_node()

    def fit(self, train_x, train_y):
        with tf.Session() as self.tf_session:
            self.tf_session.run(tf.global_variables_initializer())
            for epoch in range(self.num_epochs):
                for i in range(0, len(train_x), self.batch_size):
                    feed = {self.input_data: train_x[i:i + self.batch_size],
                            self.input_labels: train_y[i:i + self.batch_size]}
                    _, c = self.tf_session.run([self.train_step, self.cost], feed_dict=feed)
                print("Cost at epoch %s: %s" % (epoch, c))


x = np.random.rand(1000, 100).astype(np.float32) * 10.
y = np.eye(10, dtype=np.float32)[np.argmax(x[:, :10], axis=1)]
HiddenLayerClassifier(100, 256, 10).fit(x, y)
