// TrackML accuracy score (trackml-library semantics)
export { trackmlScore, type TrackMLSubmission, type TrackMLScoreResult, type TrackMLTrackTable } from './trackml/score';
export { perturbAssignment, type PerturbOptions } from './trackml/perturb';
export { indexTruth, type TrackMLTruth, type TrackMLTruthIndex } from './trackml/truth-index';
export type { Int32Lookup, KeyTable } from './keys/dense-ids';
export type { IntegerColumn } from './keys/words';

// HyperTrack double-majority matching, hit mixing, multiplicities
export { doubleMajority, type DoubleMajorityOptions, type DoubleMajorityResult } from './majority/double-majority';
export { hitMixing, type HitMixing } from './majority/hit-mixing';
export { countClusters, hitMultiplicity, type HitMultiplicity } from './majority/multiplicity';
export { denseLabels, labelSizes } from './majority/labels';

// Edge metrics
export { rocCurve, rocAuc, rocAucWithoutSelfLoops, type RocCurve, type RocOptions } from './edges/roc';
export { ratesAtThreshold, type ThresholdRates } from './edges/threshold';
export { graphMetrics, edgeSetMetrics, type EdgeList, type GraphMetrics, type GraphMetricsOptions } from './edges/graph-metrics';
export type { ConfusionCounts, ScoreArray } from './edges/classes';

// Per-observable efficiency
export {
  observableEfficiency,
  efficiencyEventOf,
  type ParticleKinematics,
  type EfficiencyEvent,
  type EfficiencyReport,
  type EfficiencyCategory,
  type ObservableEfficiency,
} from './efficiency/observables';
export { defaultObservables, linspace, geomspace, binOf, type Observable, type TrackKinematics } from './efficiency/bins';
export { binomialError, wilsonInterval } from './efficiency/intervals';

// Tracking performance: target-particle and per-region efficiency, fake and duplicate rates
export {
  trackingPerformance,
  sumTrackingPerformance,
  fraction,
  TRACKML_REGIONS,
  OTHER_REGION,
  type DetectorRegion,
  type Fraction,
  type RegionEfficiency,
  type TrackingEvent,
  type TrackingOptions,
  type TrackingPerformance,
} from './tracking/performance';

// Results table
export {
  summarizeResults,
  formatResultsTable,
  formatResultsLatexRow,
  RESULT_COLUMNS,
  type EventResults,
  type ResultColumnSpec,
  type ResultKind,
  type ResultsColumn,
  type ResultsSummary,
  type SummaryOptions,
} from './report/results-table';
export { formatValueUncertainty, formatMeanStd, meanStd, MIN_COUNT_FOR_UNCERTAINTY, type MeanStd, type UncertaintyDigits } from './report/value-uncertainty';
export { throughputScore } from './report/throughput';
