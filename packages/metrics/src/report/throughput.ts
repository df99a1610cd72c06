import { HyperTrackError } from '@hypertrack/core';

/**
 * The TrackML throughput-phase score as computed by the challenge's Codalab scoring program:
 * sqrt(ln(1 + 600 / t) * (A - 0.5)^2) = (A - 0.5) * sqrt(ln(1 + 600 / t)) for accuracy A >= 0.5,
 * 0 below, with t the mean wall time per event in seconds. The program returned -1 for t outside
 * (0, 600]; that is an error here.
 */
export function throughputScore(accuracy: number, secondsPerEvent: number): number {
  if (!(secondsPerEvent > 0 && secondsPerEvent <= 600)) {
    throw new HyperTrackError(`throughputScore: seconds per event must be in (0, 600], got ${secondsPerEvent}`);
  }
  if (!(accuracy >= 0 && accuracy <= 1)) throw new HyperTrackError(`throughputScore: accuracy must be in [0, 1], got ${accuracy}`);
  if (accuracy < 0.5) return 0;
  return (accuracy - 0.5) * Math.sqrt(Math.log(1 + 600 / secondsPerEvent));
}
