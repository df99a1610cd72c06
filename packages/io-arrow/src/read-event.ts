import { InputError, type CellTable, type HitTable, type TableKind, type TrackMLEvent, type TruthTable, Int32Index } from '@hypertrack/core';
import { parseTrackMLFile } from './csv/read-table';
import { DEFAULT_EVENT_KINDS, checkEventId, locateEventFile, orderKinds } from './event-files';

export interface ReadEventOptions {
  /** Tables to read; must include hits and particles. Default: hits, particles, truth. */
  kinds?: readonly TableKind[];
}

/** An event read from CSV plus what was learnt on the way. */
export interface ReadEventResult {
  event: TrackMLEvent;
  /** Bytes of CSV text parsed (after decompression). */
  bytes: number;
}

/**
 * Reads the CSV tables of one TrackML event from `dir` (`event{id:09d}-{kind}.csv` or `.csv.gz`)
 * and checks them against each other: every truth row names a hit, every hit has one truth row,
 * every cell names a hit.
 */
export async function readTrackMLEvent(dir: string, eventId: number, options: ReadEventOptions = {}): Promise<TrackMLEvent> {
  return (await readTrackMLEventWithStats(dir, eventId, options)).event;
}

export async function readTrackMLEventWithStats(dir: string, eventId: number, options: ReadEventOptions = {}): Promise<ReadEventResult> {
  checkEventId(eventId);
  const kinds = orderKinds(options.kinds ?? DEFAULT_EVENT_KINDS);
  const paths = new Map<TableKind, string>();
  for (const kind of kinds) paths.set(kind, await locateEventFile(dir, eventId, kind));

  let bytes = 0;
  const hits = await parseTrackMLFile('hits', paths.get('hits') as string);
  bytes += hits.bytes;
  const particles = await parseTrackMLFile('particles', paths.get('particles') as string);
  bytes += particles.bytes;
  const event: TrackMLEvent = { eventId, hits: hits.table, particles: particles.table };
  const hitIndex = hits.hitIndex as Int32Index;
  const hitsFile = paths.get('hits') as string;

  const truthPath = paths.get('truth');
  if (truthPath !== undefined) {
    const truth = await parseTrackMLFile('truth', truthPath);
    bytes += truth.bytes;
    checkTruthMatchesHits(truth.table, truthPath, truth.hitIndex as Int32Index, hits.table, hitsFile, hitIndex);
    checkTruthNamesParticles(truth.table, truthPath, particles.table.particleId, paths.get('particles') as string);
    event.truth = truth.table;
  }
  const cellsPath = paths.get('cells');
  if (cellsPath !== undefined) {
    const cells = await parseTrackMLFile('cells', cellsPath);
    bytes += cells.bytes;
    checkCellsNameHits(cells.table, cellsPath, hitsFile, hitIndex);
    event.cells = cells.table;
  }
  return { event, bytes };
}

/** Every truth particle_id but 0 (noise) is a row of the particles table. */
function checkTruthNamesParticles(truth: TruthTable, truthFile: string, particleIds: ArrayLike<bigint>, particlesFile: string): void {
  const known = new Set<bigint>();
  for (let i = 0; i < particleIds.length; i++) known.add(particleIds[i]);
  for (let row = 0; row < truth.particleId.length; row++) {
    const id = truth.particleId[row];
    if (id !== 0n && !known.has(id)) {
      throw new InputError({ file: truthFile, line: row + 2, column: 'particle_id' }, `particle_id ${id} of hit_id ${truth.hitId[row]} is not in ${particlesFile}`);
    }
  }
}

function checkTruthMatchesHits(
  truth: TruthTable,
  truthFile: string,
  truthIndex: Int32Index,
  hits: HitTable,
  hitsFile: string,
  hitIndex: Int32Index,
): void {
  for (let row = 0; row < truth.hitId.length; row++) {
    if (hitIndex.get(truth.hitId[row]) < 0) {
      throw new InputError({ file: truthFile, line: row + 2, column: 'hit_id' }, `hit_id ${truth.hitId[row]} is not in ${hitsFile}`);
    }
  }
  // Truth hit ids are unique and all among the hits, so a count mismatch means hits without truth.
  if (truth.hitId.length !== hits.hitId.length) {
    let missing = 0;
    while (truthIndex.get(hits.hitId[missing]) >= 0) missing++;
    throw new InputError(
      { file: truthFile },
      `${truth.hitId.length} rows for the ${hits.hitId.length} hits of ${hitsFile}: ` +
        `hit_id ${hits.hitId[missing]} (line ${missing + 2} of ${hitsFile}) has no truth row`,
    );
  }
}

function checkCellsNameHits(cells: CellTable, cellsFile: string, hitsFile: string, hitIndex: Int32Index): void {
  for (let row = 0; row < cells.hitId.length; row++) {
    if (hitIndex.get(cells.hitId[row]) < 0) {
      throw new InputError({ file: cellsFile, line: row + 2, column: 'hit_id' }, `hit_id ${cells.hitId[row]} is not in ${hitsFile}`);
    }
  }
}
