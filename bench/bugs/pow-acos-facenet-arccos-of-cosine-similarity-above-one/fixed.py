import math

import numpy as np
import tensorflow as tf
from sklearn.model_selection import KFold


def distance(embeddings1, embeddings2, distance_metric=0):
    if distance_metric == 0:
        # Euclidian distance
        diff = np.subtract(embeddings1, embeddings2)
        dist = np.sum(np.square(diff), 1)
    elif distance_metric == 1:
        # Distance based on cosine similarity
        dot = np.sum(np.multiply(embeddings1, embeddings2), axis=1)
        norm = np.linalg.norm(embeddings1, axis=1) * np.linalg.norm(embeddings2, axis=1)
        similarity = dot / norm
        similarity = np.clip(similarity, -1.0, 1.0)
        dist = np.arccos(similarity) / math.pi
    else:
        raise 'Undefined distance metric %d' % distance_metric

    return dist


def calculate_accuracy(threshold, dist, actual_issame):
    predict_issame = np.less(dist, threshold)
    tp = np.sum(np.logical_and(predict_issame, actual_issame))
    fp = np.sum(np.logical_and(predict_issame, np.logical_not(actual_issame)))
    tn = np.sum(np.logical_and(np.logical_not(predict_issame), np.logical_not(actual_issame)))
    fn = np.sum(np.logical_and(np.logical_not(predict_issame), actual_issame))
    acc = float(tp + tn) / dist.size
    return tp, fp, tn, fn, acc


def calculate_roc(thresholds, embeddings1, embeddings2, actual_issame, nrof_folds=10, distance_metric=0):
    k_fold = KFold(n_splits=nrof_folds, shuffle=False)
    dist = distance(embeddings1, embeddings2, distance_metric)
    accuracy = np.zeros((nrof_folds))
    for fold_idx, (train_set, test_set) in enumerate(k_fold.split(np.arange(len(actual_issame)))):
        accs = [calculate_accuracy(t, dist[train_set], actual_issame[train_set])[4] for t in thresholds]
        best = thresholds[int(np.argmax(accs))]
        accuracy[fold_idx] = calculate_accuracy(best, dist[test_set], actual_issame[test_set])[4]
    return accuracy
