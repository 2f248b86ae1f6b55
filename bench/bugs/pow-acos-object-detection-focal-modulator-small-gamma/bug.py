import tensorflow as tf


class SigmoidFocalClassificationLoss(object):
    """Sigmoid focal cross entropy loss."""

    def __init__(self, gamma=2.0, alpha=0.25):
        self._alpha = alpha
        self._gamma = gamma

    def _compute_loss(self, prediction_tensor, target_tensor, weights):
        weights = tf.expand_dims(weights, 2)
        per_entry_cross_ent = (tf.nn.sigmoid_cross_entropy_with_logits(
            labels=target_tensor, logits=prediction_tensor))
        prediction_probabilities = tf.sigmoid(prediction_tensor)
        p_t = ((target_tensor * prediction_probabilities) +
               ((1 - target_tensor) * (1 - prediction_probabilities)))
        modulating_factor = 1.0
        if self._gamma:
            modulating_factor = tf.pow(1.0 - p_t, self._gamma)
        alpha_weight_factor = 1.0
        if self._alpha is not None:
            alpha_weight_factor = (target_tensor * self._alpha +
                                   (1 - target_tensor) * (1 - self._alpha))
        focal_cross_entropy_loss = (modulating_factor * alpha_weight_factor *
                                    per_entry_cross_ent)
        return focal_cross_entropy_loss * weights


focal_loss = SigmoidFocalClassificationLoss(gamma=0.5, alpha=0.25)
