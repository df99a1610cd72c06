import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c, maskedCrc32c } from './crc32c';
import { TensorBoardWriter } from './event-file';

describe('CRC-32C', () => {
  it('gives the published check values', () => {
    // RFC 3720 appendix B.4 and the Castagnoli check value of "123456789".
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    // Masking: rotate right by 15, add 0xa282ead8 (mod 2^32).
    const crc = 0xe3069283;
    expect(maskedCrc32c(new TextEncoder().encode('123456789'))).toBe(((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0);
  });
});

describe('TensorBoard event files', () => {
  it('are read back value for value by an independent reader (python3-protobuf)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hypertrack-tb-'));
    try {
      // The clock advances 0.5 s a call: once for the file name, then once per event.
      let clock = 1_700_000_000.25;
      const writer = new TensorBoardWriter(dir, { now: () => (clock += 0.5), resumeStep: 7 });
      writer.scalars(7, [{ tag: 'loss/edge_bce', value: 0.125 }, { tag: 'lr', value: 5e-4 }]);
      writer.scalars(8, [{ tag: 'auc/train', value: 0.998 }]);
      writer.scalars(2 ** 40, [{ tag: 'loss/total', value: -1.5 }]);
      writer.close();
      const [file] = readdirSync(dir);
      expect(file).toMatch(/^events\.out\.tfevents\.1700000000\..+\.\d+$/);
      const script = join(__dirname, 'read_events.py');
      const events = execFileSync('/usr/bin/python3', [script, join(dir, file)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(events).toEqual([
        { wall_time: 1_700_000_001.25, step: 0, file_version: 'brain.Event:2' },
        { wall_time: 1_700_000_001.75, step: 7, session_log: 1 },
        { wall_time: 1_700_000_002.25, step: 7, scalars: [['loss/edge_bce', 0.125], ['lr', Math.fround(5e-4)]] },
        { wall_time: 1_700_000_002.75, step: 8, scalars: [['auc/train', Math.fround(0.998)]] },
        { wall_time: 1_700_000_003.25, step: 2 ** 40, scalars: [['loss/total', -1.5]] },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the training scalars', () => {
  it('maps the measurements of a metrics line to grouped tags and leaves counters out', async () => {
    const { trainingScalars } = await import('./training-scalars');
    const line = { iteration: 3, loss: 0.5, lr: 1e-3, trn_edge_auc: 0.99, val_edge_auc: null, hits: 1200, event: 41, tensors: 450, cluster_bce_loss: 0.2, transformer_active: 1 };
    expect(trainingScalars(line)).toEqual([
      { tag: 'loss/train', value: 0.5 },
      { tag: 'loss/cluster_bce', value: 0.2 },
      { tag: 'optimizer/learning_rate', value: 1e-3 },
      { tag: 'auc/train', value: 0.99 },
      { tag: 'transformer/active', value: 1 },
    ]);
  });
});
