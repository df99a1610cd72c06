import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES, toRunJson, type RunInfoFile, type RunRocFile } from '../run/files';
import type { RunFixture } from './fixtures';

export type RunPart = 'info' | 'results' | 'inferEvents' | 'events' | 'efficiency' | 'hitMixing' | 'tracking' | 'roc' | 'metrics';
export const ALL_PARTS: readonly RunPart[] = ['info', 'results', 'inferEvents', 'events', 'efficiency', 'hitMixing', 'tracking', 'roc', 'metrics'];

/** Writes the chosen files of a run directory the way a run does (`toRunJson`, one JSON object per line). */
export function writeRunDir(dir: string, fixture: RunFixture, parts: readonly RunPart[] = ALL_PARTS): void {
  const write = (relative: string, text: string) => {
    mkdirSync(join(dir, relative, '..'), { recursive: true });
    writeFileSync(join(dir, relative), text);
  };
  const info: RunInfoFile = { tag: 'tune-5', seed: 1, command: 'hypertrack score --logdir runs/x', note: 'a <b>bold</b> & "quoted" note' };
  if (parts.includes('info')) write(RUN_FILES.info, toRunJson(info));
  if (parts.includes('results')) write(RUN_FILES.results, toRunJson(fixture.results));
  if (parts.includes('inferEvents')) write(RUN_FILES.inferEvents, fixture.inferEvents.map((e) => toRunJson(e, 0)).join('\n') + '\n');
  if (parts.includes('events')) write(RUN_FILES.events, fixture.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  if (parts.includes('efficiency')) write(RUN_FILES.efficiency, toRunJson(fixture.efficiency));
  if (parts.includes('hitMixing')) write(RUN_FILES.hitMixing, toRunJson(fixture.mixing));
  if (parts.includes('tracking')) write(RUN_FILES.tracking, toRunJson(fixture.tracking));
  if (parts.includes('roc')) {
    fixture.roc.forEach((series, k) => {
      const file: RunRocFile = { name: series.name, curve: JSON.parse(toRunJson(series.curve)) };
      write(`${RUN_FILES.roc}/${k}-${series.name.toLowerCase()}.json`, JSON.stringify(file));
    });
  }
  if (parts.includes('metrics')) write(RUN_FILES.metrics, fixture.training.map((r) => JSON.stringify(r)).join('\n') + '\n');
}
