import tensorflow as tf


def metric_diffs_to_order_labels(diffs, eps=0.1, **kwargs):
    '''
    Converts a tensor [B,...,1] <tf.float32> of real values in (-inf, inf) to
    values in {-1., 0., 1.} as follows:

    if |d_in| < eps:
        d_out = 0.
    else:
        d_out = sign(d_in)
    '''
    return tf.where(tf.abs(diffs) < tf.cast(eps, tf.float32),
                    tf.zeros_like(diffs, dtype=tf.float32), # True
                    tf.cast(tf.sign(diffs), tf.float32)) # False

def relative_depth_loss(relative_depth_preds, relative_depth_labels, invert=False, clip_val=30.0, **kwargs):
    '''
    from http://papers.nips.cc/paper/6489-single-image-depth-perception-in-the-wild.pdf

    preds: [shape[:-1],1] in (-inf, inf)
    labels: [shape[:-1],1] in {-1., 0., 1.}
    invert: If True, labels |--> -labels
    '''
    signs = -1.0 if invert else 1.0
    # case of equal gt depth:
    loss = (1.0 - tf.abs(relative_depth_labels)) * tf.square(relative_depth_preds)
    # case of unequal gt depth:
    # e.g. if label = 1.0, invert = False, loss --> 0 as pred --> inf
    loss += tf.abs(relative_depth_labels) * tf.log(1.0 + tf.exp(-1.0 * signs * relative_depth_labels * relative_depth_preds))

    return loss # [...,1] same shape as original

def attr_diffs_loss(pred_attr_diffs,
                    gt_attr_diffs,
                    valid_diffs,
                    diffs_to_labels_func=metric_diffs_to_order_labels,
                    loss_func=relative_depth_loss, # signature func(preds, labels)
                    loss_scale=1.0,
                    **kwargs):
    '''
    Convert gt attr diffs to labels if necessary, then pass through loss func
    Take mean over valid diffs
    '''

    assert pred_attr_diffs.shape.as_list() == gt_attr_diffs.shape.as_list(), (pred_attr_diffs.shape, gt_attr_diffs.shape)
    B,N,K,D = pred_attr_diffs.shape.as_list()
    num_valid_diffs = tf.reduce_sum(valid_diffs, axis=[1,2,3]) # [B]
    gt_attr_labels = diffs_to_labels_func(gt_attr_diffs, **kwargs)
    loss = loss_func(pred_attr_diffs, gt_attr_labels, **kwargs)
    assert loss.shape.as_list() == [B,N,K,D]
    loss = tf.reduce_sum(loss * valid_diffs, axis=[1,2,3]) / tf.maximum(1.0, num_valid_diffs)
    return loss * loss_scale
