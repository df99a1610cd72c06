/**
 * Helpers of the I/O tests: awkward float values, temporary folders, TrackML-range particle ids,
 * the id of a process that no longer runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRACKML_COLUMNS, columnOf, type Rng, type TrackMLEvent } from '@hypertrack/core';

/** Float32 values that stress text round trips: tiny, subnormal, huge, negative, -0, integers. */
export function awkwardFloat32(rng: Rng, n: number): Float32Array {
  const specials = [0, -0, 1, -1, 1e-45, -1.4e-45, 1.1754942e-38, 3.4028235e38, -3.4028235e38, 16777216, 16777218, 0.1, 1 / 3, 123456.789, -9.87654e-21, 2 ** 100];
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (i < specials.length) out[i] = specials[i];
    else {
      // Random bit patterns cover every exponent; NaN and infinities are skipped.
      let v: number;
      do {
        v = new Float32Array(Uint32Array.of(rng.nextUint32()).buffer)[0];
      } while (!Number.isFinite(v));
      out[i] = v;
    }
  }
  return out;
}

/** A fresh temporary folder and a cleanup function. */
export function tempDir(prefix = 'io-arrow-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Names in a folder, sorted, for asserting that nothing new or temporary was left. */
export function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}

const LOW_63_BITS = (1n << 63n) - 1n;

/**
 * The event with particle ids that TrackML can hold: its files type particle_id as int64, so bit 63
 * is cleared (the synthetic events draw all 64 bits). Particles and truth stay consistent.
 */
export function withTrackMLParticleIds(event: TrackMLEvent): TrackMLEvent {
  const clear = (ids: BigUint64Array): BigUint64Array => ids.map((id) => id & LOW_63_BITS);
  const out: TrackMLEvent = { ...event, particles: { ...event.particles, particleId: clear(event.particles.particleId) } };
  if (event.truth !== undefined) out.truth = { ...event.truth, particleId: clear(event.truth.particleId) };
  return out;
}

/** The id of a process that has exited: the owner of a leftover that a killed run left behind. */
export function deadProcessId(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not start a child process');
  return child.pid;
}

const bytesOf = (v: ArrayBufferView): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/** Bit-identical tables (same column types and bytes) of every kind the expected event has, and no other kind. */
export function expectSameEvent(actual: TrackMLEvent, expected: TrackMLEvent): void {
  expect(actual.eventId).toBe(expected.eventId);
  for (const kind of ['hits', 'particles', 'truth', 'cells'] as const) {
    const want = expected[kind];
    const got = actual[kind];
    expect(got === undefined).toBe(want === undefined);
    if (want === undefined || got === undefined) continue;
    for (const spec of TRACKML_COLUMNS[kind]) {
      const a = columnOf(kind, got, spec.key);
      const b = columnOf(kind, want, spec.key);
      expect(a.constructor).toBe(b.constructor);
      expect(bytesOf(a).equals(bytesOf(b))).toBe(true);
    }
  }
}
