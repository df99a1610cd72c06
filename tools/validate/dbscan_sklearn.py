#!/usr/bin/env python3
"""scikit-learn's DBSCAN on graphs written by dbscan-vs-sklearn.mjs (validation only; Debian's
python3-sklearn). For each graph file: the reference's sparse distance matrix (row src, column dst,
d = 1 - p in float64 for kept edges p > threshold and src != dst, plus the virtual node joined to
every hit and itself at distance 1.0), DBSCAN(eps, min_samples, metric='precomputed'), and the labels
without the virtual node, written beside the input as <name>.sklearn.i32.
"""
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import DBSCAN


def labels_for(path, threshold, eps, min_samples):
    raw = np.fromfile(path, dtype=np.uint8)
    n, e = np.frombuffer(raw[:8], dtype=np.int32)
    src = np.frombuffer(raw[8:8 + 4 * e], dtype=np.int32)
    dst = np.frombuffer(raw[8 + 4 * e:8 + 8 * e], dtype=np.int32)
    prob = np.frombuffer(raw[8 + 8 * e:8 + 12 * e], dtype=np.float32)
    keep = (prob > np.float32(threshold)) & (src != dst)
    rows = np.concatenate([src[keep], np.full(n + 1, n), np.arange(n)])
    cols = np.concatenate([dst[keep], np.arange(n + 1), np.full(n, n)])
    dist = np.concatenate([1.0 - prob[keep].astype(np.float64), np.ones(n + 1), np.ones(n)])
    matrix = sp.csr_matrix((dist, (rows, cols)), shape=(n + 1, n + 1))
    labels = DBSCAN(eps=eps, min_samples=min_samples, metric='precomputed').fit(matrix).labels_
    return labels[:n].astype(np.int32)


if __name__ == '__main__':
    threshold, eps, min_samples = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    for path in sys.argv[4:]:
        labels_for(path, threshold, eps, min_samples).tofile(path.replace('.graph', '.sklearn.i32'))
