// Child process of checkpoint-kill.test.ts: saves step 5 once, says so, then re-saves the same
// step in a loop until it is killed.
import { initBackend } from '@hypertrack/nn';
import { TUNE5_GNN } from '../config';
import { TUNE5_TRAINING } from '../train/config';
import { EdgePredictor } from '../model';
import { saveCheckpoint } from '../train/checkpoint';
import { GnnTrainer } from '../train/trainer';

// CommonJS (.cts): tfjs-core's ES build cannot be loaded by Node's own ESM resolver.
async function main(dir: string): Promise<never> {
  await initBackend({ prefer: 'wasm' });
  const trainer = new GnnTrainer(new EdgePredictor({ ...TUNE5_GNN, nstack: 2, hDim: 8, mDim: 8, zDim: 4, correlateHidden: [4] }, 1), TUNE5_TRAINING);
  trainer.step = 5;
  await saveCheckpoint(dir, trainer, { round: 0 });
  process.stdout.write('saved\n');
  for (let round = 1; ; round++) await saveCheckpoint(dir, trainer, { round });
}

void main(process.argv[process.argv.length - 1]);
