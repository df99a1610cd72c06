import { join } from 'node:path';
import { writeFileAtomic } from '@hypertrack/core';
import type { EfficiencyReport, HitMixing, ResultsSummary, RocCurve } from '@hypertrack/metrics';
import { RUN_FILES, toRunJson, type RunInfoFile, type RunScoreEvent } from './files';

/**
 * Writes the files of a run folder that `readRunDirectory` reads, each atomically (a temporary
 * name, then a rename), so a killed run never leaves half a file. One method per file kind.
 */
export class RunFolderWriter {
  constructor(readonly dir: string) {}

  /** `run.json`: what ran, shown at the top of the report. */
  info(info: RunInfoFile): Promise<void> {
    return this.write(RUN_FILES.info, toRunJson(info));
  }

  /** `results.json` and its printed form `results.log` (the table, then a LaTeX row). */
  async results(summary: ResultsSummary, printed?: string): Promise<void> {
    await this.write(RUN_FILES.results, toRunJson(summary));
    if (printed !== undefined) await this.write(RUN_FILES.resultsText, printed);
  }

  /** `roc/<stem>.json`: one curve of the ROC plot (stems sort the legend). */
  roc(stem: string, name: string, curve: RocCurve): Promise<void> {
    return this.write(join(RUN_FILES.roc, `${stem}.json`), toRunJson({ name, curve }));
  }

  /** `score/events.jsonl`. */
  scoreEvents(events: readonly RunScoreEvent[]): Promise<void> {
    return this.jsonLines(RUN_FILES.events, events);
  }

  /** `score/efficiency.json`. */
  efficiency(report: EfficiencyReport): Promise<void> {
    return this.write(RUN_FILES.efficiency, toRunJson(report));
  }

  /** `score/hit-mixing.json`. */
  hitMixing(mixing: HitMixing): Promise<void> {
    return this.write(RUN_FILES.hitMixing, toRunJson(mixing));
  }

  /** One JSON record per line (typed arrays as arrays, non-finite numbers as null). */
  jsonLines(file: string, records: readonly unknown[]): Promise<void> {
    return this.write(file, records.map((r) => toRunJson(r, 0)).join('\n') + '\n');
  }

  private write(file: string, text: string): Promise<void> {
    return writeFileAtomic(join(this.dir, file), text);
  }
}
