import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@hypertrack/core';
import type { EfficiencyReport, HitMixing, ResultsSummary, RocCurve, TrackingPerformance } from '@hypertrack/metrics';
import { eventDisplayFile, type EventDisplayHits, type EventDisplayOptions } from '../display/event-display';
import { RUN_FILES, toRunJson, type RunInfoFile, type RunMetricsRecord, type RunScoreEvent } from './files';

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

  /** `score/tracking.json`: efficiency for target particles and per detector region, fake and duplicate rates. */
  tracking(performance: TrackingPerformance): Promise<void> {
    return this.write(RUN_FILES.tracking, toRunJson(performance));
  }

  /** `event-display.json`: the hits of one event, thinned to at most `maxHits` (default 5000) whole tracks and a few unassigned hits. */
  eventDisplay(hits: EventDisplayHits, options: EventDisplayOptions = {}): Promise<void> {
    return this.write(RUN_FILES.eventDisplay, JSON.stringify(eventDisplayFile(hits, options)));
  }

  /** `config.json`: the resolved configuration of the run, readable by people. */
  config(config: unknown): Promise<void> {
    return this.write(RUN_FILES.config, `${JSON.stringify(config, null, 2)}\n`);
  }

  /** Appends one line to `metrics.jsonl` (a line is small: a kill leaves whole lines or a torn last one, which `keepMetricsBefore` drops). */
  async appendMetrics(record: RunMetricsRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await appendFile(join(this.dir, RUN_FILES.metrics), `${JSON.stringify(record)}\n`);
  }

  /**
   * Drops the metric lines of steps at or after `step` (a resumed run writes them again) and any
   * line a kill tore; the file is replaced atomically.
   */
  async keepMetricsBefore(step: number): Promise<void> {
    const path = join(this.dir, RUN_FILES.metrics);
    if (!existsSync(path)) return;
    const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    const kept = lines.filter((line) => {
      try {
        return (JSON.parse(line) as { iteration: number }).iteration < step;
      } catch {
        return false;
      }
    });
    await this.write(RUN_FILES.metrics, kept.length > 0 ? `${kept.join('\n')}\n` : '');
  }

  /** One JSON record per line (typed arrays as arrays, non-finite numbers as null). */
  jsonLines(file: string, records: readonly unknown[]): Promise<void> {
    return this.write(file, records.map((r) => toRunJson(r, 0)).join('\n') + '\n');
  }

  private write(file: string, text: string): Promise<void> {
    return writeFileAtomic(join(this.dir, file), text);
  }
}
