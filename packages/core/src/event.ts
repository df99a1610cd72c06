/**
 * The TrackML event data model, columnar: one typed array per column, no per-row objects.
 * Column names and order follow the TrackML challenge files exactly; the property names are their
 * camelCase forms (hit_id -> hitId).
 */

/** Element type of a column: float32 for coordinates and momenta, uint64 for particle_id. */
export type ColumnType = 'int32' | 'float32' | 'uint64';

export interface ColumnSpec {
  /** Name in the TrackML CSV header. */
  readonly name: string;
  /** Property name in the table object. */
  readonly key: string;
  readonly type: ColumnType;
  /** Absent from some real files (the particles table of the shared sample lacks nhits). */
  readonly optional?: boolean;
}

/** The four tables of a TrackML event, and the challenge's submission format. */
export type TableKind = 'hits' | 'particles' | 'truth' | 'cells' | 'submission';
/** The tables an event can hold. */
export type EventTableKind = Exclude<TableKind, 'submission'>;

export interface HitTable {
  hitId: Int32Array;
  x: Float32Array;
  y: Float32Array;
  z: Float32Array;
  volumeId: Int32Array;
  layerId: Int32Array;
  moduleId: Int32Array;
}

export interface ParticleTable {
  /** TrackML 64-bit particle id (see `decodeParticleId`). */
  particleId: BigUint64Array;
  vx: Float32Array;
  vy: Float32Array;
  vz: Float32Array;
  px: Float32Array;
  py: Float32Array;
  pz: Float32Array;
  q: Int32Array;
  /** Number of hits; -1 where the source file had no nhits column. */
  nhits: Int32Array;
}

export interface TruthTable {
  hitId: Int32Array;
  /** 0 for noise hits. */
  particleId: BigUint64Array;
  tx: Float32Array;
  ty: Float32Array;
  tz: Float32Array;
  tpx: Float32Array;
  tpy: Float32Array;
  tpz: Float32Array;
  weight: Float32Array;
}

export interface CellTable {
  hitId: Int32Array;
  ch0: Int32Array;
  ch1: Int32Array;
  value: Float32Array;
}

/** A TrackML challenge submission: every hit of every event assigned to one track id. */
export interface SubmissionTable {
  eventId: Int32Array;
  hitId: Int32Array;
  trackId: Int32Array;
}

export interface TableOfKind {
  hits: HitTable;
  particles: ParticleTable;
  truth: TruthTable;
  cells: CellTable;
  submission: SubmissionTable;
}

/** One TrackML event. `truth` and `cells` are absent for test-like events. */
export interface TrackMLEvent {
  eventId: number;
  hits: HitTable;
  particles: ParticleTable;
  truth?: TruthTable;
  cells?: CellTable;
}

export const TRACKML_COLUMNS: { readonly [K in TableKind]: readonly ColumnSpec[] } = {
  hits: [
    { name: 'hit_id', key: 'hitId', type: 'int32' },
    { name: 'x', key: 'x', type: 'float32' },
    { name: 'y', key: 'y', type: 'float32' },
    { name: 'z', key: 'z', type: 'float32' },
    { name: 'volume_id', key: 'volumeId', type: 'int32' },
    { name: 'layer_id', key: 'layerId', type: 'int32' },
    { name: 'module_id', key: 'moduleId', type: 'int32' },
  ],
  particles: [
    { name: 'particle_id', key: 'particleId', type: 'uint64' },
    { name: 'vx', key: 'vx', type: 'float32' },
    { name: 'vy', key: 'vy', type: 'float32' },
    { name: 'vz', key: 'vz', type: 'float32' },
    { name: 'px', key: 'px', type: 'float32' },
    { name: 'py', key: 'py', type: 'float32' },
    { name: 'pz', key: 'pz', type: 'float32' },
    { name: 'q', key: 'q', type: 'int32' },
    { name: 'nhits', key: 'nhits', type: 'int32', optional: true },
  ],
  truth: [
    { name: 'hit_id', key: 'hitId', type: 'int32' },
    { name: 'particle_id', key: 'particleId', type: 'uint64' },
    { name: 'tx', key: 'tx', type: 'float32' },
    { name: 'ty', key: 'ty', type: 'float32' },
    { name: 'tz', key: 'tz', type: 'float32' },
    { name: 'tpx', key: 'tpx', type: 'float32' },
    { name: 'tpy', key: 'tpy', type: 'float32' },
    { name: 'tpz', key: 'tpz', type: 'float32' },
    { name: 'weight', key: 'weight', type: 'float32' },
  ],
  cells: [
    { name: 'hit_id', key: 'hitId', type: 'int32' },
    { name: 'ch0', key: 'ch0', type: 'int32' },
    { name: 'ch1', key: 'ch1', type: 'int32' },
    { name: 'value', key: 'value', type: 'float32' },
  ],
  submission: [
    { name: 'event_id', key: 'eventId', type: 'int32' },
    { name: 'hit_id', key: 'hitId', type: 'int32' },
    { name: 'track_id', key: 'trackId', type: 'int32' },
  ],
};

export type ColumnArray = Int32Array | Float32Array | BigUint64Array;

/** Allocates an empty table of `kind` with `rows` rows. */
export function allocateTable<K extends TableKind>(kind: K, rows: number): TableOfKind[K] {
  const table: Record<string, ColumnArray> = {};
  for (const column of TRACKML_COLUMNS[kind]) table[column.key] = allocateColumn(column.type, rows);
  return table as unknown as TableOfKind[K];
}

export function allocateColumn(type: ColumnType, rows: number): ColumnArray {
  switch (type) {
    case 'int32':
      return new Int32Array(rows);
    case 'float32':
      return new Float32Array(rows);
    case 'uint64':
      return new BigUint64Array(rows);
  }
}

/** Number of rows of a table (the length of its first column). */
export function tableRows<K extends TableKind>(kind: K, table: TableOfKind[K]): number {
  return columnOf(kind, table, TRACKML_COLUMNS[kind][0].key).length;
}

/** A column of a table by its property key, typed as the union of column arrays. */
export function columnOf<K extends TableKind>(_kind: K, table: TableOfKind[K], key: string): ColumnArray {
  return (table as unknown as Record<string, ColumnArray>)[key];
}

/** Keeps the rows listed in `rows` (in that order) of every column of a table. */
export function selectRows<K extends TableKind>(kind: K, table: TableOfKind[K], rows: ArrayLike<number>): TableOfKind[K] {
  const out = allocateTable(kind, rows.length);
  for (const column of TRACKML_COLUMNS[kind]) {
    const src = columnOf(kind, table, column.key);
    const dst = columnOf(kind, out, column.key);
    if (src instanceof BigUint64Array) {
      // Copy 64-bit ids as pairs of 32-bit words: element access on a BigUint64Array allocates a BigInt.
      const from = new Uint32Array(src.buffer, src.byteOffset, 2 * src.length);
      const to = new Uint32Array(dst.buffer, dst.byteOffset, 2 * dst.length);
      for (let i = 0; i < rows.length; i++) {
        to[2 * i] = from[2 * rows[i]];
        to[2 * i + 1] = from[2 * rows[i] + 1];
      }
      continue;
    }
    for (let i = 0; i < rows.length; i++) dst[i] = src[rows[i]];
  }
  return out;
}

/**
 * Events to process in order: their ids and a loader. io-arrow's `openEvents` gives one; so can
 * an array of simulated events. Training and reconstruction take this, not a file format.
 */
export interface EventStream {
  readonly eventIds: readonly number[];
  load(eventId: number): Promise<TrackMLEvent>;
}
