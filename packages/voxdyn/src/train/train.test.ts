import { Rng } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { edgeSetMetrics, graphMetrics } from '@hypertrack/metrics';
import { CMatrixAccumulator } from '../cmatrix/accumulator';
import { buildGraph } from '../graph/graph-builder';
import { NearestCentroidIndex } from '../index/nearest-centroid-index';
import { kmeans } from '../kmeans/kmeans';
import { truthEdges } from '../topology/topology';
import { trainVoxdyn } from './train';

function trackmlLike(seed: number, pileup: number) {
  const { event, hitParticle } = simulateEvent(seed, defaultSimulationConfig({ pileup }), Rng.fromSeed(seed));
  const { x, y, z } = event.hits;
  const points = new Float32Array(3 * x.length);
  for (let i = 0; i < x.length; i++) points.set([x[i], y[i], z[i]], 3 * i);
  return { points, membership: hitParticle };
}

describe('voxdyn on a TrackML-like event', () => {
  const event = trackmlLike(1, 10);

  it('the C-matrix of one event applied to the same event connects every true pair (hyper TPR = 1)', async () => {
    const model = await trainVoxdyn([event], { ncell: 2048, dim: 3, node2node: 'hyper', niter: 5, seed: 1 });
    const graph = buildGraph(model, event.points);
    const m = graphMetrics(graph, event.membership);
    expect(m.tpr).toBe(1);
    expect(m.fpr).toBeLessThan(0.05);
    expect(m.purity).toBeGreaterThan(0);
    expect(model.stats.events).toBe(1);
    // Events given without ids leave the training events unrecorded rather than guessed.
    expect(model.stats.trainingEvents).toBeUndefined();
    // The exact model must not connect everything: a min count of 2 drops entries and true pairs.
    const strict = graphMetrics(buildGraph(model, event.points, { minCount: 2 }), event.membership);
    expect(strict.numEdges).toBeLessThan(m.numEdges);
  });

  it('records the ids of its training events as ranges', async () => {
    const second = trackmlLike(2, 10);
    const model = await trainVoxdyn(
      [
        { ...event, id: 7 },
        { ...second, id: 5 },
        { ...event, id: 6 },
        { ...second, id: 12 },
      ],
      { ncell: 256, dim: 3, node2node: 'hyper', niter: 2, seed: 1 },
    );
    expect(model.stats.trainingEvents).toEqual([
      [5, 7],
      [12, 12],
    ]);
    const partly = await trainVoxdyn([{ ...event, id: 7 }, second], { ncell: 256, dim: 3, node2node: 'hyper', niter: 2, seed: 1 });
    expect(partly.stats.trainingEvents).toBeUndefined();
  });

  it('eom truth is fully covered by an eom model of the same event', async () => {
    const { points, membership } = event;
    const km = await kmeans(points, 3, { k: 1024, niter: 3, seed: 2 });
    const cells = NearestCentroidIndex.build(km.centroids, 3).assign(points);
    const acc = new CMatrixAccumulator(1024);
    acc.addEvent('eom', points, 3, membership, cells);
    const graph = buildGraph({ ncell: 1024, dim: 3, centroids: km.centroids, cmatrix: acc.finish() }, points);
    const truth = truthEdges('eom', points, 3, membership);
    expect(edgeSetMetrics(graph, truth, membership.length).tpr).toBe(1);
  });
});
