// Plots: Vega-Lite specs rendered headless to SVG; PNG through resvg
export type { Plot } from './vega/render';
export type { NamedPlot } from './plots/named';
export { rocPlot, type RocSeries, type RocPlotOptions } from './plots/roc';
export { efficiencyPlot, efficiencyPlots, type EfficiencyPlotOptions } from './plots/efficiency';
export { hitMixingPlot, type HitMixingPlotOptions } from './plots/hit-mixing';
export { eventScorePlot, type EventScorePlotOptions } from './plots/event-scores';
export { trackingRegionPlot, type TrackingRegionPlotOptions } from './plots/tracking';
export { stageTimingPlot, inferStageTimes, graphStageTimes, type StageTimes, type StageTimingPlotOptions } from './plots/stage-timing';
export { trainingPlots, type TrainingPlotOptions } from './plots/training';
export { voxdynPlots, type CMatrixView, type VoxdynPlotOptions } from './plots/voxdyn';
export { toPng, PNG_SIGNATURE, type PngOptions } from './png/to-png';
export { defaultFontFiles } from './png/fonts';

// JSON lines
export { parseJsonLines, type JsonValue } from './jsonl/parse';
export { parseMetricsLog } from './jsonl/metrics-log';

// The HTML report
export { renderReport, type ReportInput, type ReportPlot, type ReportSection } from './html/render-report';

// Run directories: the files a run writes and the report reads
export {
  RUN_FILES,
  toRunJson,
  type Jsonified,
  type RunEfficiencyFile,
  type RunGraphEvent,
  type RunHitMixingFile,
  type RunInferEvent,
  type RunInfoFile,
  type RunMetricsRecord,
  type RunResultsFile,
  type RunRocFile,
  type RunScoreEvent,
  type RunTrackingFile,
} from './run/files';
export { readRunDirectory, type RunData, type VoxdynFigure } from './run/read';
export { eventDisplayFile, eventDisplayPlot, type EventDisplayHits, type EventDisplayOptions, type RunEventDisplayFile } from './display/event-display';
export { RunFolderWriter } from './run/writer';
export { reportPlots, reportContent, timingWarmUpOf, type ReportContent } from './run/report-plots';
export { writeRunReport, type RunReportOptions, type RunReportFiles } from './run/write';
export { renderComparison, writeRunComparison, compareResults, comparable, type ComparedRow, type ComparisonOptions } from './compare/compare';

// Event display export for HSF Phoenix
export { toPhoenixEvent, thinTracks, PHOENIX_COLLECTIONS, PHOENIX_HIT_SELECTIONS, type PhoenixExportOptions, type PhoenixThinning, type PhoenixHitSelection } from './phoenix/export';
export { toPhoenixGeometry, type DetectorOutline, type DetectorLayerOutline, type PhoenixGeometryOptions, type GltfDocument, type GltfAccessor, type GltfLayerExtras } from './phoenix/geometry';
export { writePhoenixFiles, describePhoenixFile, type PhoenixFiles, type PhoenixWriteOptions, type PhoenixWritten } from './phoenix/write';
export { transverseRadius, MEV_PER_TESLA_MM } from './phoenix/curvature';
export type { PhoenixEvent, PhoenixEventFile, PhoenixHit, PhoenixTrack, Vec3 } from './phoenix/types';

// TensorBoard event files (TFRecord framing, Event/Summary protobuf) for training runs
export { TensorBoardWriter, tfRecord } from './tensorboard/event-file';
export { crc32c, maskedCrc32c } from './tensorboard/crc32c';
export { encodeEvent, type ScalarValue, type EventBody } from './tensorboard/protobuf';
export { trainingScalars, TRAINING_SCALAR_TAGS } from './tensorboard/training-scalars';

// Training profiles as Chrome traces (Perfetto, chrome://tracing)
export { TrainingProfile, traceProblems, type ProfiledIteration, type TraceEvent } from './profile/chrome-trace';
export { TrainingLog } from './run/training-log';
