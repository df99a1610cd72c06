export { Rng, logFactorial, type Seed, type RngSnapshot } from './random';
export { HyperTrackError, InputError, ConfigError, type InputLocation } from './errors';
export { printable } from './printable';
export { createProgress, formatDuration, type Progress, type ProgressOptions, type ProgressSink } from './progress';
export {
  TRACKML_COLUMNS,
  allocateTable,
  allocateColumn,
  tableRows,
  columnOf,
  selectRows,
  type ColumnType,
  type ColumnSpec,
  type ColumnArray,
  type TableKind,
  type EventTableKind,
  type TableOfKind,
  type HitTable,
  type ParticleTable,
  type TruthTable,
  type CellTable,
  type SubmissionTable,
  type TrackMLEvent,
  type EventStream,
} from './event';
export { OutputError, outputErrorOf, naming, namingSync, makeFolders } from './output-error';
export { writeFileAtomic, writeFolderAtomic, removeAbandonedTemporaries, isProcessAlive, folderEntries } from './atomic-write';
export { lockFolder, LOCK_FILE, type FolderLock } from './folder-lock';
export { withStopSignals } from './stop-signals';
export { encodeParticleId, decodeParticleId, type ParticleIdFields } from './particle-id';
export { UnionFind } from './union-find';
export { parseShard, shardSlice, type Shard } from './shard';
export { Int32Index, Uint64Index, type DuplicateKey } from './id-index';
export { UINT64_LO, UINT64_HI, TWO_POW_32, uint64Words } from './uint64-words';
