#!/usr/bin/env python3
"""scikit-learn's DBSCAN on graphs written by dbscan-vs-sklearn.mjs (validation only; Debian's
python3-sklearn). For each graph file: the reference's sparse distance matrix (row src, column dst,
d = 1 - p in float64 for kept edges p > threshold and src != dst, plus the virtual node joined to
every hit and itself at distance 1.0), DBSCAN(eps, min_samples, metric='precomputed'), and the labels
without the virtual node, written beside the input as <name>.sklearn.i32. With --time RUNS it
prints the median time of DBSCAN.fit on one graph instead (tools/bench/density-clusterers.bench.mjs).
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import DBSCAN


def distance_matrix(path, threshold):
    raw = np.fromfile(path, dtype=np.uint8)
    n, e = np.frombuffer(raw[:8], dtype=np.int32)
    src = np.frombuffer(raw[8:8 + 4 * e], dtype=np.int32)
    dst = np.frombuffer(raw[8 + 4 * e:8 + 8 * e], dtype=np.int32)
    prob = np.frombuffer(raw[8 + 8 * e:8 + 12 * e], dtype=np.float32)
    keep = (prob > np.float32(threshold)) & (src != dst)
    rows = np.concatenate([src[keep], np.full(n + 1, n), np.arange(n)])
    cols = np.concatenate([dst[keep], np.arange(n + 1), np.full(n, n)])
    dist = np.concatenate([1.0 - prob[keep].astype(np.float64), np.ones(n + 1), np.ones(n)])
    return n, sp.csr_matrix((dist, (rows, cols)), shape=(n + 1, n + 1))


def labels_for(path, threshold, eps, min_samples):
    n, matrix = distance_matrix(path, threshold)
    labels = DBSCAN(eps=eps, min_samples=min_samples, metric='precomputed').fit(matrix).labels_
    return labels[:n].astype(np.int32)


def time_fit(path, runs, threshold, eps, min_samples):
    """Median wall time of DBSCAN.fit on the prepared matrix, after one warm-up fit."""
    _, matrix = distance_matrix(path, threshold)
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        DBSCAN(eps=eps, min_samples=min_samples, metric='precomputed').fit(matrix)
        if i > 0:
            times.append(1000 * (time.perf_counter() - start))
    return sorted(times)[len(times) // 2]


if __name__ == '__main__':
    if sys.argv[1] == '--time':
        runs, threshold, eps, min_samples, path = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
        print(json.dumps({'medianMs': time_fit(path, runs, threshold, eps, min_samples)}))
        sys.exit(0)
    threshold, eps, min_samples = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    for path in sys.argv[4:]:
        labels_for(path, threshold, eps, min_samples).tofile(path.replace('.graph', '.sklearn.i32'))
