#!/usr/bin/env python3
"""PyTorch CPU reference for the issue-15 benchmarks (tools/bench/vs-torch.bench.mjs runs it).

The tune-5 edge predictor written the way the original HyperTrack writes it (models_tune-5.py:
SuperEdgeConv's message MLP on the concatenation [x_i, x_j - x_i, x_j * x_i, |x_j - x_i|,
<x_j, x_i>, a_ij], mean aggregation, the update MLP on [x, m], residuals; a fusion MLP over the
five layer outputs; the symmetric-dot edge MLP), every MLP block Linear -> SiLU -> BatchNorm1d,
timed on a random graph like the TypeScript benchmark's. For comparison only: the product never
runs Python. Needs Debian's python3-torch.

  python3 hypertrack_torch.py --case step --hits 1200 --edges 55000 --threads 2
  python3 hypertrack_torch.py --case conv --hits 50000 --edges 200000
  python3 hypertrack_torch.py --case infer --hits 15000 --edges 300000
Prints one JSON line: the case, sizes, threads and the median of the timed runs in ms.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn


def mlp(sizes, last_act=True):
    layers = []
    for k in range(1, len(sizes)):
        layers.append(nn.Linear(sizes[k - 1], sizes[k]))
        if k < len(sizes) - 1 or last_act:
            layers += [nn.SiLU(), nn.BatchNorm1d(sizes[k])]
    return nn.Sequential(*layers)


class SuperEdgeConv(nn.Module):
    def __init__(self, in_dim, m_dim=64, h_dim=64, residual=True):
        super().__init__()
        self.nn = mlp([3 * in_dim + 3, m_dim, m_dim])
        self.nn_final = mlp([in_dim + m_dim, h_dim, h_dim])
        self.residual = residual and in_dim == h_dim

    def forward(self, x, src, dst, edge_attr, inverse_count):
        x_i, x_j = x.index_select(0, dst), x.index_select(0, src)
        e1 = torch.norm(x_j - x_i, dim=-1, keepdim=True)
        e2 = torch.sum(x_j * x_i, dim=-1, keepdim=True)
        m = self.nn(torch.cat([x_i, x_j - x_i, x_j * x_i, e1, e2, edge_attr], dim=-1))
        aggregated = torch.zeros(x.shape[0], m.shape[1]).index_add_(0, dst, m) * inverse_count
        y = self.nn_final(torch.cat([x, aggregated], dim=-1))
        return y + x if self.residual else y


class EdgePredictor(nn.Module):
    def __init__(self, coord_dim=3, nstack=5, h_dim=64, z_dim=61):
        super().__init__()
        self.convs = nn.ModuleList([SuperEdgeConv(coord_dim if k == 0 else h_dim) for k in range(nstack)])
        self.fusion = mlp([nstack * h_dim, h_dim, z_dim])
        self.correlate = mlp([z_dim, 30, 30, 1], last_act=False)

    def forward(self, x, src, dst, edge_attr, inverse_count):
        outputs = []
        h = x
        for conv in self.convs:
            h = conv(h, src, dst, edge_attr, inverse_count)
            outputs.append(h)
        z = self.fusion(torch.cat(outputs, dim=-1))
        return self.correlate(z.index_select(0, src) * z.index_select(0, dst)).view(-1)


def graph(hits, edges, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(hits, 3, generator=g) * 500
    src = torch.randint(0, hits, (edges,), generator=g)
    dst = torch.randint(0, hits, (edges,), generator=g)
    degree = torch.bincount(src, minlength=hits).float()
    edge_attr = ((degree[src] - degree[dst]) / degree.mean()).view(-1, 1)
    inverse_count = 1.0 / torch.bincount(dst, minlength=hits).clamp(min=1).float().view(-1, 1)
    labels = (torch.div(src, 10, rounding_mode='floor') == torch.div(dst, 10, rounding_mode='floor')).float()
    return x, src, dst, edge_attr, inverse_count, labels


def focal_loss(logits, labels, gamma=2.0):
    p = torch.sigmoid(logits)
    bce = nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction='none')
    p_t = p * labels + (1 - p) * (1 - labels)
    return ((1 - p_t) ** gamma * bce).mean()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--case', choices=['step', 'conv', 'infer'], required=True)
    parser.add_argument('--hits', type=int, required=True)
    parser.add_argument('--edges', type=int, required=True)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--runs', type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x, src, dst, edge_attr, inverse_count, labels = graph(args.hits, args.edges, 2)
    if args.case == 'conv':
        # One 64-wide layer (in = m = h = 64, BatchNorm, residual) forward + backward, with the
        # input gradient, as the TypeScript conv case.
        layer = SuperEdgeConv(64)
        h = torch.randn(args.hits, 64, requires_grad=True)
        weights = torch.randn(args.hits, 64)

        def run():
            layer.zero_grad()
            h.grad = None
            (layer(h, src, dst, edge_attr, inverse_count) * weights).sum().backward()
    elif args.case == 'step':
        model = EdgePredictor()
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-5)

        def run():
            optimizer.zero_grad()
            loss = focal_loss(model(x, src, dst, edge_attr, inverse_count), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
    else:
        model = EdgePredictor().eval()

        def run():
            with torch.no_grad():
                torch.sigmoid(model(x, src, dst, edge_attr, inverse_count))
    times = []
    for i in range(args.warmup + args.runs):
        start = time.perf_counter()
        run()
        if i >= args.warmup:
            times.append(1000 * (time.perf_counter() - start))
    print(json.dumps({'case': args.case, 'hits': args.hits, 'edges': args.edges, 'threads': args.threads, 'medianMs': statistics.median(times), 'runs': times}))


if __name__ == '__main__':
    main()
