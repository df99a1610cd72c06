import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, Rng } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent, trackmlGeometry } from '@hypertrack/detsim';
import { PHOENIX_COLLECTIONS } from './export';
import { gltfProblem, phoenixProblem } from './testing';
import { describePhoenixFile, formatBytes, writePhoenixFiles } from './write';

const simulated = simulateEvent(7, defaultSimulationConfig({ pileup: 2 }), Rng.fromSeed(11).split(7));

describe('writePhoenixFiles', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ht-phoenix-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('writes the event and the detector, says their sizes and contents, and takes the field from the detector', async () => {
    const files = { event: join(dir, 'sub', 'event.json'), geometry: join(dir, 'trackml.gltf') };
    const written = await writePhoenixFiles(files, simulated.event, { reconstructed: simulated.hitParticle, detector: trackmlGeometry(), minPt: 0.3, hits: 'tracks' });
    expect(written.eventBytes).toBe(statSync(files.event).size);
    expect(written.geometryBytes).toBe(statSync(files.geometry).size);
    const event = JSON.parse(readFileSync(files.event, 'utf8'));
    expect(phoenixProblem(event)).toBeUndefined();
    expect(gltfProblem(JSON.parse(readFileSync(files.geometry, 'utf8')))).toBeUndefined();
    const reco = event['Event 7'].Tracks[PHOENIX_COLLECTIONS.recoTracks];
    expect(reco.length).toBeGreaterThan(0);
    expect(reco.every((t: { pT: number }) => t.pT >= 300)).toBe(true);
    expect(written.lines[0]).toBe(`${files.event} (${describePhoenixFile(event, written.eventBytes)})`);
    expect(written.lines[0]).toMatch(/ \(\d+(\.\d)? kB: [\d,]+ track hits, [\d,]+ noise hits, [\d,]+ true tracks, [\d,]+ reconstructed tracks\)$/);
    expect(written.lines[1]).toMatch(/trackml\.gltf \(\d+ kB: the trackml detector, 48 layers, as glTF\)$/);
  });

  test('without a geometry file, one line; a geometry file needs a detector', async () => {
    const written = await writePhoenixFiles({ event: join(dir, 'plain.json') }, simulated.event, { hits: 'none' });
    expect(written.lines).toHaveLength(1);
    expect(written.geometryBytes).toBeUndefined();
    await expect(writePhoenixFiles({ event: join(dir, 'x.json'), geometry: join(dir, 'x.gltf') }, simulated.event)).rejects.toThrow(new ConfigError('detector', 'is needed to write a geometry file'));
  });

  test('a geometry path under a file is refused before the event file is written', async () => {
    writeFileSync(join(dir, 'afile'), 'x');
    const files = { event: join(dir, 'e.json'), geometry: join(dir, 'afile', 'g.gltf') };
    await expect(writePhoenixFiles(files, simulated.event, { detector: trackmlGeometry() })).rejects.toThrow(`${files.geometry}: cannot write: ${join(dir, 'afile')} is not a folder (a file is in the way)`);
    expect(existsSync(files.event)).toBe(false);
  });

  test('formatBytes', () => {
    expect([812, 1000, 12_345, 999_999, 9_930_393, 11_200_000].map(formatBytes)).toEqual(['812 B', '1.0 kB', '12 kB', '1.0 MB', '9.9 MB', '11 MB']);
  });
});
