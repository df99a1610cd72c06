// TrackML CSV
export { readTrackMLTable } from './csv/read-table';
export { writeTrackMLTable } from './csv/write-table';
export { formatFloat32 } from './csv/format-number';
export { readTrackMLEvent, type ReadEventOptions } from './read-event';
export { writeTrackMLEvent, type WriteEventOptions } from './write-event';
export { listTrackMLEvents, eventStem, TABLE_KINDS, DEFAULT_EVENT_KINDS } from './event-files';
export { MAX_LINE_BYTES } from './csv/table-parser';

// Write errors (a full disk, no permission...), naming the output asked for
export { OutputError } from '@hypertrack/core';

// Arrow event store
export { writeArrowEvents, type WriteArrowOptions } from './arrow/write-events';
export { openArrowStore, type ArrowStore } from './arrow/store';
export { convertCsvToArrow, type ConvertOptions, type ConvertResult } from './arrow/convert';
export { MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_VERSION, type StoreManifest, type ManifestFile, type ManifestBatch } from './arrow/manifest';
export {
  ARROW_FORMAT,
  ARROW_FORMAT_VERSION,
  ARROW_LAYOUTS,
  EVENT_ID_COLUMN,
  META_EVENT_ID,
  META_EVENT_IDS,
  META_FORMAT,
  META_KIND,
  META_LAYOUT,
  META_PRODUCER,
  META_VERSION,
  arrowFileName,
  type ArrowLayout,
  type EventProducer,
} from './arrow/format';
export { selectEvents, eventRanges, parseEventRanges, type EventRange } from './select-events';
export { openEvents, truthOf, type EventSource, type OpenEventsOptions } from './open-events';

