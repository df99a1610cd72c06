import { Rng, shardSlice, type TrackMLEvent } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { eventPoints } from '@hypertrack/event';
import { trainVoxdyn, type VoxdynModel } from '@hypertrack/voxdyn';
import type { EdgeScorer } from '../edge-scorer';
import { RunEvaluation, type EvaluationState } from '../evaluation';
import { Reconstruction } from '../reconstruction';
import { decodeState, encodeState } from './state-json';

const simulation = defaultSimulationConfig({ pileup: 8 });
const events = Array.from({ length: 6 }, (_, i) => simulateEvent(20 + i, simulation, Rng.fromSeed(8).split(20 + i)).event);
let vd: VoxdynModel;
beforeAll(async () => {
  vd = await trainVoxdyn([0, 1].map((id) => ({ ...eventPoints(simulateEvent(id, simulation, Rng.fromSeed(8).split(id)).event), id })), { ncell: 256, dim: 3, node2node: 'hyper', niter: 3, seed: 2 });
}, 60_000);

/** Scores from the truth with deterministic mistakes (fake pairs above the cut), so clusters merge and split. */
function noisyOracle(): EdgeScorer {
  const byHits = new Map(events.map((e) => [e.hits.x.length, eventPoints(e).membership]));
  return {
    description: 'noisy oracle',
    async score(graph) {
      const membership = byHits.get(graph.numHits) as Int32Array;
      return Float32Array.from(graph.src, (s, e) => {
        const d = graph.dst[e];
        const same = membership[s] >= 0 && membership[s] === membership[d];
        return same ? 0.6 + ((s * 31 + d) % 40) / 100 : ((s * 7919 + d * 104729) % 100) / 160;
      });
    },
    dispose() {},
  };
}

async function evaluate(list: readonly TrackMLEvent[]): Promise<RunEvaluation> {
  const reconstruction = new Reconstruction({ vd, edgeScorer: noisyOracle() }, { evaluation: { rocEdges: 30_000 } });
  const evaluation = new RunEvaluation(reconstruction.config);
  await reconstruction.runAll({ eventIds: list.map((e) => e.eventId), load: async (id) => list.find((e) => e.eventId === id) as TrackMLEvent }, { sink: (r) => evaluation.add(r) });
  reconstruction.close();
  return evaluation;
}

const physics = (evaluation: RunEvaluation) => evaluation.rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith('time'))));

it('the evaluations of shards, through their files, merge into the evaluation of one process', async () => {
  expect(new Set(events.map((e) => e.hits.x.length)).size).toBe(events.length);
  const single = await evaluate(events);
  for (const count of [2, 4]) {
    const states: EvaluationState[] = [];
    for (let index = 0; index < count; index++) {
      const shard = await evaluate(shardSlice(events, { index, count }));
      states.push(decodeState(encodeState(shard.state())) as EvaluationState);
    }
    const merged = RunEvaluation.fromStates(single.config, states);
    expect(physics(merged)).toEqual(physics(single));
    expect(merged.efficiency()).toEqual(single.efficiency());
    expect(merged.hitMixing()).toEqual(single.hitMixing());
    expect(merged.tracking()).toEqual(single.tracking());
    // The ROC keeps the run's first 30,000 edges, which span several events and shards.
    expect(merged.roc()).toEqual(single.roc());
    expect(merged.display).toEqual(single.display);
    const { columns } = merged.summary();
    expect(columns.filter((c) => c.kind === 'physics')).toEqual(single.summary().columns.filter((c) => c.kind === 'physics'));
  }
  expect(single.rows.length).toBe(6);
  expect(single.summary().columns.find((c) => c.key === 'dms')?.mean).toBeLessThan(0.99);
});
