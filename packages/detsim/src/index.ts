export type { DetectorGeometry, Layer, BarrelLayer, DiskLayer, DiskRing, PassiveCylinder, Pitch } from './geometry/types';
export { trackmlGeometry } from './geometry/trackml';
export { compileGeometry, findModule, type CompiledGeometry, type CompiledLayer, type Surface, type ModuleHit } from './geometry/compiled';
export { HelixSegment, helixRadius, type HelixPoint } from './physics/helix';
export { highlandTheta0, PION_MASS } from './physics/scattering';
export { betheMeanLoss, momentumAfterLoss, SILICON_X0_OVER_LAMBDA } from './physics/energy-loss';
export { DEFAULT_MINBIAS, generatePileup, PtSampler, type MinBiasConfig, type PrimaryParticle } from './generator/minbias';
export { PROCESS_MATERIAL_PAIR, type TransportConfig, type SimParticle } from './propagate';
export { orderWeights, ptWeight, trackmlWeights, WEIGHT_MIN_HITS, WEIGHT_MAX_HITS } from './weights';
export {
  simulateEvent,
  defaultSimulationConfig,
  describeSimulation,
  DEFAULT_TRANSPORT,
  SIMULATOR_NAME,
  SIMULATOR_VERSION,
  type SimulationConfig,
  type SimulationDescription,
  type SimulatedEvent,
} from './simulate';
