import numpy as np


def log_loss(y_true, y_pred, eps="auto", normalize=True):
    """Log loss, aka logistic loss or cross-entropy loss."""
    y_pred = np.asarray(y_pred)
    if eps == "auto":
        eps = np.finfo(y_pred.dtype).eps
    # Clipping
    y_pred = np.clip(y_pred, eps, 1 - eps)

    # If y_pred is of single dimension, assume y_true to be binary
    if y_pred.ndim == 1:
        y_pred = y_pred[:, np.newaxis]
    if y_pred.shape[1] == 1:
        y_pred = np.append(1 - y_pred, y_pred, axis=1)

    # Renormalize
    y_pred_sum = y_pred.sum(axis=1)
    y_pred = y_pred / y_pred_sum[:, np.newaxis]
    loss = -(y_true * np.log(y_pred)).sum(axis=1)
    return np.average(loss) if normalize else np.sum(loss)
