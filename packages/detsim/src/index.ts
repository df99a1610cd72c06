export type { DetectorGeometry, Layer, BarrelLayer, DiskLayer, DiskRing, PassiveCylinder, Pitch } from './geometry/types';
export { trackmlGeometry } from './geometry/trackml';
export { compileGeometry, findModule, type CompiledGeometry, type CompiledLayer, type Surface, type ModuleHit } from './geometry/compiled';
export { HelixSegment, helixRadius, type HelixPoint } from './physics/helix';
export { highlandTheta0, PION_MASS } from './physics/scattering';
export { DEFAULT_MINBIAS, generatePileup, PtSampler, type MinBiasConfig, type PrimaryParticle } from './generator/minbias';
export { PROCESS_MATERIAL_PAIR, type TransportConfig, type SimParticle } from './propagate';
export { orderWeights, ptWeight, trackmlWeights, WEIGHT_MIN_HITS, WEIGHT_MAX_HITS } from './weights';
export { simulateEvent, defaultSimulationConfig, DEFAULT_TRANSPORT, type SimulationConfig, type SimulatedEvent } from './simulate';
