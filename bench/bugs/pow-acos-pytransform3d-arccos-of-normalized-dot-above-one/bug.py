import numpy as np


def perpendicular_to_vectors(a, b):
    """Compute perpendicular vector to two other vectors."""
    return np.cross(a, b)


def angle_between_vectors(a, b, fast=False):
    """Compute angle between two vectors.

    Parameters
    ----------
    a : array-like, shape (n,)
        nd vector

    b : array-like, shape (n,)
        nd vector

    fast : bool, optional (default: False)
        Use fast implementation instead of numerically stable solution

    Returns
    -------
    angle : float
        Angle between a and b
    """
    if len(a) != 3 or fast:
        return np.arccos(np.dot(a, b) /
                         (np.linalg.norm(a) * np.linalg.norm(b)))
    else:
        return np.arctan2(np.linalg.norm(np.cross(a, b)), np.dot(a, b))
