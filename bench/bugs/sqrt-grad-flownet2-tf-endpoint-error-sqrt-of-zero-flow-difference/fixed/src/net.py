import tensorflow as tf
slim = tf.contrib.slim


class Mode(object):
    TRAIN = 1
    TEST = 2


class Net(object):
    """Base class: a subclass defines model() and loss(); train() minimises the loss (condensed)."""

    def __init__(self, mode=Mode.TRAIN, debug=False):
        self.mode = mode
        self.debug = debug

    def model(self, inputs, training_schedule):
        raise NotImplementedError

    def loss(self, flow, predictions):
        raise NotImplementedError

    def train(self, log_dir, training_schedule, input_a, input_b, flow):
        inputs = {'input_a': input_a, 'input_b': input_b}
        predictions = self.model(inputs, training_schedule)
        total_loss = self.loss(flow, predictions)
        tf.summary.scalar('loss', total_loss)
        global_step = slim.get_or_create_global_step()
        learning_rate = tf.train.piecewise_constant(global_step,
                                                    [tf.cast(v, tf.int64) for v in training_schedule['step_values']],
                                                    training_schedule['learning_rates'])
        optimizer = tf.train.AdamOptimizer(learning_rate,
                                           training_schedule['momentum'],
                                           training_schedule['momentum2'])
        train_op = slim.learning.create_train_op(total_loss, optimizer, summarize_gradients=True)
        slim.learning.train(train_op, log_dir, global_step=global_step,
                            number_of_steps=training_schedule['max_iter'])
