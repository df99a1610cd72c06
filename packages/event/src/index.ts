export { reduceEvent, type ReduceOptions, type ReducedEvent } from './reduce';
export { particleIndexOfHits, linkTruth, type TruthLink } from './truth-link';
export { hitPoints } from './hit-points';
export { eventPoints, reducedEventPoints, normalisedHitWeights, type EventPoints } from './event-points';
export { syntheticEvent, type SyntheticEventOptions } from './testing/synthetic-event';
export { CENSUS_HIT_BINS, emptyCensus, countEvent, formatCensus, type EventCensus } from './census';
