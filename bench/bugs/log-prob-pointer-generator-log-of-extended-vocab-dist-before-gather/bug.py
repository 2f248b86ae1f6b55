import tensorflow as tf

FLAGS = tf.app.flags.FLAGS


class SummarizationModel(object):
  """A class to represent a sequence-to-sequence model for text summarization. Supports both baseline mode, pointer-generator mode, and coverage"""

  def __init__(self, hps, vocab):
    self._hps = hps
    self._vocab = vocab

  def _calc_final_dist(self, vocab_dists, attn_dists):
    """Calculate the final distribution, for the pointer-generator model"""
    with tf.variable_scope('final_distribution'):
      # Multiply vocab dists by p_gen and attention dists by (1-p_gen)
      vocab_dists = [p_gen * dist for (p_gen, dist) in zip(self.p_gens, vocab_dists)]
      attn_dists = [(1 - p_gen) * dist for (p_gen, dist) in zip(self.p_gens, attn_dists)]

      # Concatenate some zeros to each vocabulary dist, to hold the probabilities for in-article OOV words
      extended_vsize = self._vocab.size() + self._max_art_oovs  # the maximum (over the batch) size of the extended vocabulary
      extra_zeros = tf.zeros((self._hps.batch_size, self._max_art_oovs))
      vocab_dists_extended = [tf.concat(axis=1, values=[dist, extra_zeros]) for dist in vocab_dists]  # list length max_dec_steps of shape (batch_size, extended_vsize)

      # Project the values in the attention distributions onto the appropriate entries in the final distributions
      batch_nums = tf.range(0, limit=self._hps.batch_size)  # shape (batch_size)
      batch_nums = tf.expand_dims(batch_nums, 1)  # shape (batch_size, 1)
      attn_len = tf.shape(self._enc_batch_extend_vocab)[1]  # number of states we attend over
      batch_nums = tf.tile(batch_nums, [1, attn_len])  # shape (batch_size, attn_len)
      indices = tf.stack((batch_nums, self._enc_batch_extend_vocab), axis=2)  # shape (batch_size, enc_t, 2)
      shape = [self._hps.batch_size, extended_vsize]
      attn_dists_projected = [tf.scatter_nd(indices, copy_dist, shape) for copy_dist in attn_dists]  # list length max_dec_steps (batch_size, extended_vsize)

      final_dists = [vocab_dist + copy_dist for (vocab_dist, copy_dist) in zip(vocab_dists_extended, attn_dists_projected)]

      return final_dists

  def _add_loss(self, vocab_scores):
    hps = self._hps
    vocab_dists = [tf.nn.softmax(s) for s in vocab_scores]  # The vocabulary distributions. List length max_dec_steps of (batch_size, vsize) arrays.

    # For pointer-generator model, calc final distribution from copy distribution and vocabulary distribution, then take log
    if FLAGS.pointer_gen:
      final_dists = self._calc_final_dist(vocab_dists, self.attn_dists)
      # Take log of final distribution
      log_dists = [tf.log(dist) for dist in final_dists]
    else:  # just take log of vocab_dists
      log_dists = [tf.log(dist) for dist in vocab_dists]

    # Calculate the loss
    with tf.variable_scope('loss'):
      if FLAGS.pointer_gen:  # calculate loss from log_dists
        # Calculate the loss per step
        # This is fiddly; we use tf.gather_nd to pick out the log probabilities of the target words
        loss_per_step = []  # will be list length max_dec_steps containing shape (batch_size)
        batch_nums = tf.range(0, limit=hps.batch_size)  # shape (batch_size)
        for dec_step, log_dist in enumerate(log_dists):
          targets = self._target_batch[:, dec_step]  # The indices of the target words. shape (batch_size)
          indices = tf.stack((batch_nums, targets), axis=1)  # shape (batch_size, 2)
          losses = tf.gather_nd(-log_dist, indices)  # shape (batch_size). loss on this step for each batch
          loss_per_step.append(losses)
        self._loss = tf.reduce_mean(tf.add_n(loss_per_step))
    self._train_op = tf.train.AdagradOptimizer(hps.lr, initial_accumulator_value=hps.adagrad_init_acc).minimize(self._loss)
