"""Classification and regression loss functions for object detection
(excerpt of research/object_detection/core/losses.py).
"""
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import abc

import tensorflow as tf

from object_detection.core import box_list
from object_detection.core import box_list_ops


class Loss(object):
  """Abstract base class for loss functions (abridged: the stored __call__ also
  handles NaN targets and a losses mask before calling _compute_loss)."""
  __metaclass__ = abc.ABCMeta

  def __call__(self, prediction_tensor, target_tensor, weights, scope=None,
               **params):
    """Call the loss function."""
    with tf.name_scope(scope, 'Loss',
                       [prediction_tensor, target_tensor, weights]) as scope:
      return self._compute_loss(prediction_tensor, target_tensor, weights,
                                **params)

  @abc.abstractmethod
  def _compute_loss(self, prediction_tensor, target_tensor, weights, **params):
    pass


class WeightedIOULocalizationLoss(Loss):
  """IOU localization loss function.

  Sums the IOU for corresponding pairs of predicted/groundtruth boxes
  and for each pair assign a loss of 1 - IOU.  We then compute a weighted
  sum over all pairs which is returned as the total loss.
  """

  def _compute_loss(self, prediction_tensor, target_tensor, weights):
    """Compute loss function.

    Args:
      prediction_tensor: A float tensor of shape [batch_size, num_anchors, 4]
        representing the decoded predicted boxes
      target_tensor: A float tensor of shape [batch_size, num_anchors, 4]
        representing the decoded target boxes
      weights: a float tensor of shape [batch_size, num_anchors]

    Returns:
      loss: a (scalar) tensor representing the value of the loss function
    """
    predicted_boxes = box_list.BoxList(tf.reshape(prediction_tensor, [-1, 4]))
    target_boxes = box_list.BoxList(tf.reshape(target_tensor, [-1, 4]))
    per_anchor_iou_loss = 1.0 - box_list_ops.matched_iou(predicted_boxes,
                                                         target_boxes)
    return tf.reduce_sum(tf.reshape(weights, [-1]) * per_anchor_iou_loss)
