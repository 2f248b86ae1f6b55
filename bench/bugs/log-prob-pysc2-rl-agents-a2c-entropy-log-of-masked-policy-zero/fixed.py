import tensorflow as tf
from tensorflow.contrib import layers

from rl.networks.fully_conv import FullyConv
from rl.util import safe_log, safe_div


class A2CAgent():
  """A2C agent (trimmed to the graph that trains)."""
  def __init__(self, sess, network_cls=FullyConv, value_loss_weight=0.5,
               entropy_weight=1e-3, learning_rate=7e-4, max_gradient_norm=1.0):
    self.sess = sess
    self.network_cls = network_cls
    self.value_loss_weight = value_loss_weight
    self.entropy_weight = entropy_weight
    self.learning_rate = learning_rate
    self.max_gradient_norm = max_gradient_norm

  def build(self, ch, res):
    screen = tf.placeholder(tf.float32, [None, res, res, ch['screen']], 'input_screen')
    minimap = tf.placeholder(tf.float32, [None, res, res, ch['minimap']], 'input_minimap')
    flat = tf.placeholder(tf.float32, [None, ch['flat']], 'input_flat')
    available_actions = tf.placeholder(tf.float32, [None, ch['available_actions']],
                                       'input_available_actions')
    advs = tf.placeholder(tf.float32, [None], 'advs')
    returns = tf.placeholder(tf.float32, [None], 'returns')

    policy, value = self.network_cls().build(screen, minimap, flat)

    fn_id = tf.placeholder(tf.int32, [None], 'fn_id')
    arg_ids = {k: tf.placeholder(tf.int32, [None], 'arg_{}_id'.format(k.id))
               for k in policy[1].keys()}
    actions = (fn_id, arg_ids)

    log_probs = compute_policy_log_probs(available_actions, policy, actions)

    policy_loss = -tf.reduce_mean(advs * log_probs)
    value_loss = tf.reduce_mean(tf.square(returns - value) / 2.)
    entropy = compute_policy_entropy(available_actions, policy, actions)

    loss = (policy_loss
            + value_loss * self.value_loss_weight
            - entropy * self.entropy_weight)
    self.loss = loss

    opt = tf.train.RMSPropOptimizer(learning_rate=self.learning_rate,
                                    decay=0.99, epsilon=1e-5)
    self.train_op = layers.optimize_loss(
        loss=loss,
        global_step=tf.train.get_global_step(),
        optimizer=opt,
        clip_gradients=self.max_gradient_norm,
        learning_rate=None,
        name="train_op")


def mask_unavailable_actions(available_actions, fn_pi):
  fn_pi *= available_actions
  fn_pi /= tf.reduce_sum(fn_pi, axis=1, keep_dims=True)
  return fn_pi


def compute_policy_entropy(available_actions, policy, actions):
  """Compute total policy entropy."""

  def compute_entropy(probs):
    return -tf.reduce_sum(safe_log(probs) * probs, axis=-1)

  _, arg_ids = actions

  fn_pi, arg_pis = policy
  fn_pi = mask_unavailable_actions(available_actions, fn_pi)
  entropy = tf.reduce_mean(compute_entropy(fn_pi))

  for arg_type in arg_ids.keys():
    arg_id = arg_ids[arg_type]
    arg_pi = arg_pis[arg_type]
    batch_mask = tf.to_float(tf.not_equal(arg_id, -1))
    arg_entropy = safe_div(
        tf.reduce_sum(compute_entropy(arg_pi) * batch_mask),
        tf.reduce_sum(batch_mask))
    entropy += arg_entropy

  return entropy


def compute_policy_log_probs(available_actions, policy, actions):
  def compute_log_probs(probs, labels):
    labels = tf.maximum(labels, 0)
    indices = tf.stack([tf.range(tf.shape(labels)[0]), labels], axis=1)
    return safe_log(tf.gather_nd(probs, indices))

  fn_id, arg_ids = actions
  fn_pi, arg_pis = policy
  fn_pi = mask_unavailable_actions(available_actions, fn_pi)
  fn_log_prob = compute_log_probs(fn_pi, fn_id)

  log_prob = fn_log_prob
  for arg_type in arg_ids.keys():
    arg_id = arg_ids[arg_type]
    arg_pi = arg_pis[arg_type]
    arg_log_prob = compute_log_probs(arg_pi, arg_id)
    arg_log_prob *= tf.to_float(tf.not_equal(arg_id, -1))
    log_prob += arg_log_prob

  return log_prob
