import { ConfigError, Rng, type TrackMLEvent } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { eventPoints, reduceEvent } from '@hypertrack/event';
import { doubleMajority, graphMetrics, rocAuc } from '@hypertrack/metrics';
import { trainVoxdyn, type VoxdynModel } from '@hypertrack/voxdyn';
import { RunEvaluation } from './evaluation';
import { Reconstruction, type EventReconstruction } from './reconstruction';
import { gnnEdgeScorer, type EdgeScorer } from './edge-scorer';
import { EdgePredictor, TUNE5_GNN } from '@hypertrack/gnn';
import { initBackend } from '@hypertrack/nn';

const config = defaultSimulationConfig({ pileup: 10 });
const simulate = (id: number): TrackMLEvent => simulateEvent(id, config, Rng.fromSeed(99).split(id)).event;

let vd: VoxdynModel;
beforeAll(async () => {
  const training = [0, 1, 2].map((id) => {
    const { points, membership } = eventPoints(simulate(id));
    return { points, membership, id };
  });
  vd = await trainVoxdyn(training, { ncell: 256, dim: 3, node2node: 'hyper', niter: 5, seed: 3 });
}, 60_000);

/**
 * An edge scorer that knows the truth: probability 0.9 for a pair of one track, 0.1 otherwise. It
 * is handed the track of every hit of each event in turn, worked out by the test on its own.
 */
function oracle(memberships: Int32Array[]): EdgeScorer & { calls: number; disposed: boolean } {
  return {
    description: 'oracle',
    calls: 0,
    disposed: false,
    async score(graph) {
      const membership = memberships[this.calls++];
      expect(membership.length).toBe(graph.numHits);
      const prob = new Float32Array(graph.src.length);
      for (let e = 0; e < prob.length; e++) {
        const a = membership[graph.src[e]];
        prob[e] = a >= 0 && a === membership[graph.dst[e]] ? 0.9 : 0.1;
      }
      return prob;
    },
    dispose() {
      this.disposed = true;
    },
  };
}

/** The track of each hit after the reduction the pipeline draws for event i: (seed, i). */
function reducedMemberships(events: TrackMLEvent[], rfactor: number, seed: number): Int32Array[] {
  return events.map((event) => reduceEvent(event, { rfactor, noiseRatio: 0.05, rng: Rng.fromSeed(seed).split(event.eventId) }).trackIndex);
}

describe('Reconstruction', () => {
  const events = [10, 11, 12].map(simulate);
  const source = { eventIds: events.map((e) => e.eventId), load: async (id: number) => events.find((e) => e.eventId === id) as TrackMLEvent };

  it('runs every stage and hands back each output; a perfect edge scorer gives AUC 1 and clusters no hit of two tracks together', async () => {
    const scorer = oracle(reducedMemberships(events, 0.3, 5));
    const reconstruction = new Reconstruction({ vd, edgeScorer: scorer }, { reduction: { rfactor: 0.3, seed: 5 } });
    const results: EventReconstruction[] = [];
    const evaluation = new RunEvaluation(reconstruction.config);
    await reconstruction.runAll(source, { sink: (r) => (results.push(r), evaluation.add(r)) });
    reconstruction.close();
    expect(scorer.calls).toBe(3);
    expect(scorer.disposed).toBe(true);
    for (const r of results) {
      const { graph, membership, probabilities, edgeLabels, clusters } = r;
      expect(probabilities).not.toBeNull();
      expect(edgeLabels).not.toBeNull();
      const labels = edgeLabels as Uint8Array;
      // hyper labels: same track, noise never.
      let wrongLabels = 0;
      for (let e = 0; e < graph.numEdges; e++) {
        const t = membership[graph.src[e]];
        if (labels[e] !== (t >= 0 && t === membership[graph.dst[e]] ? 1 : 0)) wrongLabels++;
      }
      expect(wrongLabels).toBe(0);
      expect(graph.numEdges).toBeGreaterThan(1000);
      expect(rocAuc(probabilities as Float32Array, labels)).toBe(1);
      // Cut clustering over true edges only: every cluster is one track's hits.
      const reco = (clusters?.labels ?? new Int32Array()) as Int32Array;
      const trackOfCluster = new Map<number, number>();
      let mixed = 0;
      reco.forEach((c, i) => {
        if (c < 0) return;
        if (!trackOfCluster.has(c)) trackOfCluster.set(c, membership[i]);
        if (membership[i] !== trackOfCluster.get(c)) mixed++;
      });
      expect(mixed).toBe(0);
      expect(trackOfCluster.size).toBeGreaterThan(10);
    }
    // The evaluation agrees with the metrics computed here from the stage outputs.
    expect(evaluation.rows.map((r) => r.eventId)).toEqual([10, 11, 12]);
    evaluation.rows.forEach((row, k) => {
      const r = results[k];
      const dm = doubleMajority(r.membership, (r.clusters as { labels: Int32Array }).labels, r.event.truth?.weight, { hitsMin: 4 });
      expect(row.dms).toBe(dm.dms);
      expect(row.purity).toBe(dm.purity);
      expect(row.vdTpr).toBe(graphMetrics(r.graph, r.membership).tpr);
      expect(row.gnnAuc).toBe(1);
      expect(row.gnnTpr).toBe(1);
      expect(row.gnnFpr).toBe(0);
      expect(row.clusters).toBe(r.clusters?.stats.clusters);
    });
    // Physics over every event; only the latencies leave out the first (the backend's warm-up).
    const summary = evaluation.summary();
    expect([summary.events, summary.timingWarmUp]).toEqual([3, 1]);
    expect(summary.columns.find((c) => c.key === 'dms')?.count).toBe(3);
    expect(summary.columns.find((c) => c.key === 'timeGnn')?.count).toBe(2);
    expect(evaluation.efficiency()).not.toBeNull();
    // Tracking figures over every event: the oracle's clusters never mix tracks, so nothing is fake.
    const tracking = evaluation.tracking();
    expect(tracking?.events).toBe(3);
    expect(tracking?.efficiency.reconstructable.denominator).toBe(results.reduce((n, r) => n + doubleMajority(r.membership, (r.clusters as { labels: Int32Array }).labels).numTruthTracks, 0));
    expect(tracking?.tracks.fakes).toBe(0);
    expect(tracking?.regions.map((r) => r.key)).toEqual(['barrel', 'endcap-negative', 'endcap-positive']);
  });

  it('draws event i from the stream (seed, i): one event alone is reconstructed exactly as within the run', async () => {
    const run = async (ids: number[]) => {
      const reconstruction = new Reconstruction({ vd }, { reduction: { rfactor: 0.3, seed: 8 } });
      const out: EventReconstruction[] = [];
      await reconstruction.runAll({ eventIds: ids, load: source.load }, { sink: (r) => void out.push(r) });
      reconstruction.close();
      return out;
    };
    const all = await run([10, 11, 12]);
    const [alone] = await run([12]);
    expect(alone.points).toEqual(all[2].points);
    expect(alone.graph.src).toEqual(all[2].graph.src);
    expect(alone.graph.dst).toEqual(all[2].graph.dst);
  });

  it('stops after the graph without an edge scorer, and the evaluation then has graph rows only', async () => {
    const reconstruction = new Reconstruction({ vd }, { graph: { selfLoops: false } });
    const evaluation = new RunEvaluation(reconstruction.config);
    const result = await reconstruction.run(events[0]);
    reconstruction.close();
    expect(result.probabilities).toBeNull();
    expect(result.clusters).toBeNull();
    expect(result.graph.src.some((s, e) => s === result.graph.dst[e])).toBe(false);
    evaluation.add(result);
    expect(evaluation.rows).toHaveLength(0);
    expect(evaluation.graphRows[0]).toMatchObject({ eventId: 10, hits: events[0].hits.x.length, edges: result.graph.numEdges });
    expect(evaluation.graphRows[0].tpr).toBe(graphMetrics(result.graph, result.membership, { selfLoops: false }).tpr);
  });

  it('refuses an event whose GNN forward pass would pass the memory budget, naming the event and what to lower', async () => {
    await initBackend({ prefer: 'wasm' });
    const model = new EdgePredictor(TUNE5_GNN, 1);
    const reconstruction = new Reconstruction({ vd, edgeScorer: gnnEdgeScorer(model, 'GNN', { memoryBudget: 2 ** 20 }) }, {});
    await expect(reconstruction.run(events[0])).rejects.toThrow(
      /^event 10: the GNN forward pass on [\d,]+ edges and [\d,]+ hits needs about \d\.\d\d GiB, above the memory budget of 0\.00 GiB; give it fewer edges: lower the rfactor \(reduction\.rfactor\), raise graph\.minCount/,
    );
    reconstruction.close();
  });

  it('refuses an event whose VD graph would pass the edge budget, naming the event and the flag', async () => {
    const reconstruction = new Reconstruction({ vd }, { graph: { maxEdges: 10 } });
    await expect(reconstruction.run(events[0])).rejects.toThrow(
      /^event 10: the voxdyn graph of [\d,]+ hits would have [\d,]+ edges, above the edge budget of 10 \(--max-edges, graph\.maxEdges\): raise it, raise graph\.minCount \(--min-count\)/,
    );
    reconstruction.close();
  });

  it('rejects an unknown clusterer by the config key, before any event runs', () => {
    expect(() => new Reconstruction({ vd }, { cluster: { algorithm: 'kmeans' } })).toThrow(new ConfigError('cluster', 'unknown algorithm "kmeans" (available: cut, dbscan, hdbscan)'));
  });
});
