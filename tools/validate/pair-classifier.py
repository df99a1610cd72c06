#!/usr/bin/env python3
"""A pair-feature baseline for the GNN's edge AUC (issue 13): scikit-learn's gradient boosting on
the features of each Voxel-Dynamics edge alone, trained on the edges of some events and scored on
those of others, with and without self-loops. A measuring instrument outside the product (Debian's
python3-sklearn); the edges come from pair-features-dump.mjs.

Usage: pair-classifier.py TRAIN.bin TEST.bin [--max-train N]
"""
import json
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score


def load(path):
    header = json.load(open(path + '.json'))
    data = np.fromfile(path, dtype=np.float32).reshape(header['rows'], header['width'])
    return header['columns'], data


def main():
    args = sys.argv[1:]
    max_train = 2_000_000
    if '--max-train' in args:
        at = args.index('--max-train')
        max_train = int(args[at + 1])
        del args[at:at + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    columns, train = load(args[0])
    _, test = load(args[1])
    rng = np.random.default_rng(1)
    if len(train) > max_train:
        train = train[rng.choice(len(train), max_train, replace=False)]
    sets = {
        "issue 13's set: r, z of both hits; dr, dz, dphi, deta": [columns.index(c) for c in ['r_i', 'z_i', 'r_j', 'z_j', 'dr', 'dz', 'dphi', 'deta']],
        "the decoder's pair geometry (8)": [i for i, c in enumerate(columns) if c.startswith('geometry_')],
        'both': [columns.index(c) for c in ['r_i', 'z_i', 'r_j', 'z_j', 'dr', 'dz', 'dphi', 'deta']] + [i for i, c in enumerate(columns) if c.startswith('geometry_')],
    }
    label = columns.index('label')
    self_loop = columns.index('self')
    not_self = test[:, self_loop] == 0
    print(f'train: {len(train)} edges of {len(np.unique(train[:, 0]))} events; test: {len(test)} edges of {len(np.unique(test[:, 0]))} events')
    print('| features | AUC | AUC without self-loops |')
    print('|---|---|---|')
    for name, cols in sets.items():
        model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.1, max_leaf_nodes=63, random_state=1)
        model.fit(train[:, cols], train[:, label])
        p = model.predict_proba(test[:, cols])[:, 1]
        print(f'| {name} | {roc_auc_score(test[:, label], p):.4f} | {roc_auc_score(test[not_self, label], p[not_self]):.4f} |')


if __name__ == '__main__':
    main()
