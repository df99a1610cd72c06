import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@hypertrack/core';
import { TrainingProfile, type ProfiledIteration } from '../profile/chrome-trace';
import { TensorBoardWriter } from '../tensorboard/event-file';
import { trainingScalars } from '../tensorboard/training-scalars';
import { RunFolderWriter } from './writer';

/**
 * Everything a training run logs per step, in its run folder: the metrics.jsonl line, the
 * TensorBoard scalars (`tensorboard/`, unless off) and, when profiling, the iteration for
 * `profile/trace.json`. `close()` writes the trace and returns its summary lines.
 */
export class TrainingLog {
  readonly run: RunFolderWriter;
  private readonly board: TensorBoardWriter | null;
  private readonly profile: TrainingProfile | null;

  constructor(
    private readonly logdir: string,
    options: { readonly tensorboard: boolean; readonly profile: boolean; readonly resumeStep?: number },
  ) {
    this.run = new RunFolderWriter(logdir);
    this.board = options.tensorboard ? new TensorBoardWriter(join(logdir, 'tensorboard'), { resumeStep: options.resumeStep }) : null;
    this.profile = options.profile ? new TrainingProfile() : null;
  }

  async step(metrics: Record<string, number | null> & { iteration: number }, iteration: ProfiledIteration): Promise<void> {
    this.profile?.add(iteration);
    await this.run.appendMetrics(metrics);
    this.board?.scalars(iteration.step, trainingScalars(metrics));
  }

  /** Closes the TensorBoard file; with a profile, writes it and returns its top stages and where it is. */
  async close(): Promise<string[]> {
    this.board?.close();
    if (this.profile === null) return [];
    const file = join(this.logdir, 'profile', 'trace.json');
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(this.profile));
    return [...this.profile.summary(10), `trace: ${file} (open it in https://ui.perfetto.dev or chrome://tracing)`];
  }
}
