import { Rng } from '@hypertrack/core';
import { CsvTableParser } from './table-parser';

function parse<K extends 'hits' | 'particles' | 'truth' | 'cells'>(kind: K, text: string | Buffer, chunkSize = Infinity) {
  const parser = new CsvTableParser(kind, 'test.csv');
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const step = Number.isFinite(chunkSize) ? chunkSize : Math.max(1, bytes.length);
  for (let i = 0; i < bytes.length; i += step) parser.push(Buffer.from(bytes.subarray(i, i + step)));
  return parser.finish();
}

const HITS_HEADER = 'hit_id,x,y,z,volume_id,layer_id,module_id';

describe('CsvTableParser', () => {
  it('parses columns into typed arrays by header name, in any order', () => {
    const table = parse('hits', 'module_id,z,y,x,layer_id,volume_id,hit_id\n5,3.5,-2,1e2,4,7,1\n6,0,0.25,-1.5E-3,2,8,2\n');
    expect(table.hitId).toEqual(Int32Array.of(1, 2));
    expect(table.x).toEqual(Float32Array.of(100, -0.0015));
    expect(table.y).toEqual(Float32Array.of(-2, 0.25));
    expect(table.z).toEqual(Float32Array.of(3.5, 0));
    expect(table.volumeId).toEqual(Int32Array.of(7, 8));
    expect(table.layerId).toEqual(Int32Array.of(4, 2));
    expect(table.moduleId).toEqual(Int32Array.of(5, 6));
    expect(table.x).toBeInstanceOf(Float32Array);
  });

  it('gives the same table whatever the chunk boundaries', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i + 1},${i * 1.25 - 7},-${i}.5e-2,${i * 1000.125},${i % 9},${i % 4},${i * 7}`);
    const text = `${HITS_HEADER}\r\n${rows.join('\r\n')}`;
    const whole = parse('hits', text);
    expect(whole.hitId.length).toBe(40);
    for (const size of [1, 2, 3, 5, 7, 64]) expect(parse('hits', text, size)).toEqual(whole);
  });

  it('tolerates CRLF, a missing final newline and a byte-order mark', () => {
    const table = parse('cells', Buffer.from('\uFEFFhit_id,ch0,ch1,value\r\n1,2,3,0.5\r\n2,4,5,0.25', 'utf8'));
    expect(table.hitId).toEqual(Int32Array.of(1, 2));
    expect(table.value).toEqual(Float32Array.of(0.5, 0.25));
  });

  it('accepts a header-only file as an empty table', () => {
    const table = parse('hits', `${HITS_HEADER}\n`);
    expect(table.hitId.length).toBe(0);
    expect(table.x).toBeInstanceOf(Float32Array);
  });

  it('fills an absent optional nhits column with -1', () => {
    const table = parse('particles', 'particle_id,vx,vy,vz,px,py,pz,q\n7,0,0,0,1,1,1,-1\n8,0,0,0,1,1,1,1\n');
    expect(table.nhits).toEqual(Int32Array.of(-1, -1));
    expect(table.q).toEqual(Int32Array.of(-1, 1));
  });

  it('reads 64-bit particle ids exactly, up to 2^64 - 1', () => {
    const ids = [0n, 1n, 4503668346847232n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, 18446744073709551000n];
    const text = `particle_id,vx,vy,vz,px,py,pz,q,nhits\n${ids.map((id) => `${id},0,0,0,0,0,0,1,3`).join('\n')}\n`;
    expect([...parse('particles', text).particleId]).toEqual(ids);
  });

  it('rounds decimal text like parseFloat followed by float32 rounding', () => {
    const rng = Rng.fromSeed(11);
    const samples: string[] = ['0', '-0', '+5', '.5', '5.', '007.250', '1e22', '1e23', '123456789012345678', '0.000000000000000000000001', '1.5e-45', '3.4028234e38'];
    for (let i = 0; i < 3000; i++) {
      const digits = 1 + rng.int(20);
      let mantissa = '';
      for (let d = 0; d < digits; d++) mantissa += String(rng.int(10));
      const point = rng.int(digits + 1);
      let text = `${rng.uniform() < 0.5 ? '-' : ''}${mantissa.slice(0, point)}.${mantissa.slice(point)}`;
      if (text.endsWith('.') && rng.uniform() < 0.5) text += '0';
      if (rng.uniform() < 0.4) text += `e${rng.int(60) - 30}`;
      if (Number.isFinite(Math.fround(parseFloat(text)))) samples.push(text);
    }
    const text = `hit_id,ch0,ch1,value\n${samples.map((s, i) => `${i},0,0,${s}`).join('\n')}\n`;
    const values = parse('cells', text).value;
    samples.forEach((s, i) => {
      expect(Object.is(values[i], Math.fround(parseFloat(s)))).toBe(true);
    });
  });

  it('stops a 300 MB line without line breaks after the first MiB: the rest is never read', () => {
    const parser = new CsvTableParser('hits', 'huge.csv');
    const chunk = Buffer.alloc(1 << 18, 'x'); // 256 KiB, as gunzip hands them out
    const chunks = (300 << 20) / chunk.length;
    let pushed = 0;
    const error = (() => {
      try {
        for (; pushed < chunks; pushed++) parser.push(chunk);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error?.message).toBe(
      'huge.csv:1: the header line is longer than 1048576 bytes (1 MiB) without a line break; TrackML CSV lines are under 200 bytes: not a TrackML CSV file?',
    );
    expect(pushed).toBe(4); // The fifth chunk makes the line 1.25 MiB.

    // A line of exactly 1 MiB (then a line break) is still read: only longer ones are refused.
    const lineOf = (bytes: number) => [Buffer.from('hit_id,ch0,ch1,value\n1,2,3,'), Buffer.alloc(bytes - 7, '0'), Buffer.from('1\n')];
    const limit = new CsvTableParser('cells', 'limit.csv');
    for (const part of lineOf(1 << 20)) limit.push(part);
    expect(limit.finish().value).toEqual(Float32Array.of(1));
    const over = new CsvTableParser('cells', 'over.csv');
    expect(() => lineOf((1 << 20) + 1).forEach((part) => over.push(part))).toThrow('over.csv:2: the line is longer than 1048576 bytes');
  });
});
