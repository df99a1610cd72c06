import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { TrackMLEvent } from '@hypertrack/core';
import { syntheticEvent } from '@hypertrack/event';
import { convertCsvToArrow } from './arrow/convert';
import { openArrowStore } from './arrow/store';
import { readTrackMLEvent } from './read-event';
import { listing, tempDir, withTrackMLParticleIds } from './test-support';
import { writeTrackMLEvent } from './write-event';

/**
 * trackml-library's `load_event(prefix)` reads, by default, the parts hits, cells, particles and
 * truth, each from the one file matching `prefix-<part>.csv*` (plain or gzip), with pandas dtypes
 * i4, i8 (particle_id) and f4. This script does the same with the standard library only (pandas is
 * not on every machine): the glob, exactly one match, the header, every value parsed as its dtype
 * (an i8 particle_id must fit in 64-bit signed), and the cross-references of the parts.
 *
 * python3 is on every machine we develop and test on; without it this test fails rather than
 * skipping, so the check against TrackML's own reading rules is never silently lost.
 */
const LOAD_EVENT = String.raw`
import csv, glob, gzip, io, json, sys

DEFAULT_PARTS = ['hits', 'cells', 'particles', 'truth']
DTYPES = {
    'hits': {'hit_id': 'i4', 'x': 'f4', 'y': 'f4', 'z': 'f4', 'volume_id': 'i4', 'layer_id': 'i4', 'module_id': 'i4'},
    'cells': {'hit_id': 'i4', 'ch0': 'i4', 'ch1': 'i4', 'value': 'f4'},
    'particles': {'particle_id': 'i8', 'particle_type': 'i4', 'vx': 'f4', 'vy': 'f4', 'vz': 'f4',
                  'px': 'f4', 'py': 'f4', 'pz': 'f4', 'q': 'i4', 'nhits': 'i4'},
    'truth': {'hit_id': 'i4', 'particle_id': 'i8', 'tx': 'f4', 'ty': 'f4', 'tz': 'f4',
              'tpx': 'f4', 'tpy': 'f4', 'tpz': 'f4', 'weight': 'f4'},
}
BITS = {'i4': 32, 'i8': 64}

def load_part(prefix, name):
    expr = '{}-{}.csv*'.format(prefix, name)
    files = glob.glob(expr)
    if len(files) != 1:
        raise SystemExit('{} files match {}'.format(len(files), expr))
    raw = open(files[0], 'rb').read()
    text = gzip.decompress(raw) if raw[:2] == b'\x1f\x8b' else raw
    rows = list(csv.reader(io.StringIO(text.decode('ascii'))))
    header, data = rows[0], rows[1:]
    columns = {c: [] for c in header}
    for row in data:
        if len(row) != len(header):
            raise SystemExit('{}: a row has {} fields'.format(files[0], len(row)))
        for c, v in zip(header, row):
            dtype = DTYPES[name].get(c)
            if dtype is None:
                raise SystemExit('{}: unexpected column {}'.format(files[0], c))
            if dtype == 'f4':
                columns[c].append(float(v))
            else:
                n = int(v)
                if not -(2 ** (BITS[dtype] - 1)) <= n < 2 ** (BITS[dtype] - 1):
                    raise SystemExit('{}: {} {} does not fit {}'.format(files[0], c, v, dtype))
                columns[c].append(n)
    return {'file': files[0].rsplit('/', 1)[-1], 'columns': header, 'rows': len(data), 'values': columns}

parts = {name: load_part(sys.argv[1], name) for name in DEFAULT_PARTS}
hit_ids = set(parts['hits']['values']['hit_id'])
particle_ids = set(parts['particles']['values']['particle_id'])
report = {name: {k: part[k] for k in ('file', 'columns', 'rows')} for name, part in parts.items()}
report['checks'] = {
    'truth_hits_are_the_hits': sorted(parts['truth']['values']['hit_id']) == sorted(hit_ids),
    'cells_name_hits': set(parts['cells']['values']['hit_id']) <= hit_ids,
    'truth_particles_known': {p for p in parts['truth']['values']['particle_id'] if p != 0} <= particle_ids,
    'particle_ids_unique': len(particle_ids) == parts['particles']['rows'],
}
print(json.dumps(report))
`;

const COLUMNS = {
  hits: ['hit_id', 'x', 'y', 'z', 'volume_id', 'layer_id', 'module_id'],
  cells: ['hit_id', 'ch0', 'ch1', 'value'],
  particles: ['particle_id', 'vx', 'vy', 'vz', 'px', 'py', 'pz', 'q', 'nhits'],
  truth: ['hit_id', 'particle_id', 'tx', 'ty', 'tz', 'tpx', 'tpy', 'tpz', 'weight'],
};

describe("trackml-library's load_event reads what we write", () => {
  let dir: string;
  let cleanup: () => void;
  let script: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    script = join(dir, 'load_event.py');
    writeFileSync(script, LOAD_EVENT);
  });
  afterEach(() => cleanup());

  const loadEvent = (prefix: string): Record<string, unknown> => JSON.parse(execFileSync('python3', [script, prefix], { encoding: 'utf8' })) as Record<string, unknown>;

  function expectLoads(csv: string, event: TrackMLEvent, suffix: string, cells: number): void {
    const stem = `event${String(event.eventId).padStart(9, '0')}`;
    const hits = event.hits.hitId.length;
    expect(loadEvent(join(csv, stem))).toEqual({
      hits: { file: `${stem}-hits${suffix}`, columns: COLUMNS.hits, rows: hits },
      cells: { file: `${stem}-cells${suffix}`, columns: COLUMNS.cells, rows: cells },
      particles: { file: `${stem}-particles${suffix}`, columns: COLUMNS.particles, rows: event.particles.particleId.length },
      truth: { file: `${stem}-truth${suffix}`, columns: COLUMNS.truth, rows: hits },
      checks: { truth_hits_are_the_hits: true, cells_name_hits: true, truth_particles_known: true, particle_ids_unique: true },
    });
  }

  it('an event with cells: all four parts, its cells written as they are', async () => {
    const event = withTrackMLParticleIds(syntheticEvent(4, { eventId: 21, cells: true }));
    const cells = event.cells?.hitId.length ?? 0;
    expect(cells).toBeGreaterThan(event.hits.hitId.length);
    const csv = join(dir, 'csv');
    await writeTrackMLEvent(csv, event);
    expectLoads(csv, event, '.csv', cells);
    expect((await readTrackMLEvent(csv, 21, { kinds: ['hits', 'particles', 'truth', 'cells'] })).cells).toEqual(event.cells);
  });

  it('an event without cells (simulated): a header-only cells file, gzip too, that our reader and converter accept', async () => {
    const event = withTrackMLParticleIds(syntheticEvent(5, { eventId: 22 }));
    expect(event.cells).toBeUndefined();
    for (const gzip of [false, true]) {
      const csv = join(dir, gzip ? 'gzip' : 'plain');
      const written = await writeTrackMLEvent(csv, event, { gzip });
      const suffix = gzip ? '.csv.gz' : '.csv';
      expect(listing(csv)).toEqual(['cells', 'hits', 'particles', 'truth'].map((kind) => `event000000022-${kind}${suffix}`));
      expect(written).toHaveLength(4);
      const cellsFile = readFileSync(join(csv, `event000000022-cells${suffix}`));
      expect((gzip ? gunzipSync(cellsFile) : cellsFile).toString('latin1')).toBe('hit_id,ch0,ch1,value\n');
      expectLoads(csv, event, suffix, 0);

      // Read by default without the cells; asked for, they are an empty table that names no hit.
      expect((await readTrackMLEvent(csv, 22)).cells).toBeUndefined();
      expect((await readTrackMLEvent(csv, 22, { kinds: ['hits', 'particles', 'cells'] })).cells?.hitId).toEqual(new Int32Array(0));
      const store = join(dir, `store-${gzip}`);
      await convertCsvToArrow(csv, store);
      expect((await openArrowStore(store)).load(22).cells).toBeUndefined();
      await convertCsvToArrow(csv, store, { kinds: ['hits', 'particles', 'truth', 'cells'], layout: 'per-event' });
      expect((await openArrowStore(store)).load(22).cells?.value).toEqual(new Float32Array(0));
    }
  });
});
