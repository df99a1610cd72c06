import type { Rng } from '@hypertrack/core';

/**
 * Pile-up of minimum-bias proton-proton interactions: a Poisson number of interactions spread over
 * the luminous region, each with a negative-binomial charged multiplicity and a Tsallis pT spectrum,
 * flat in pseudorapidity and azimuth. The defaults reproduce the real TrackML event 1000 (primary
 * particles above 0.1 GeV: median pT 0.44 GeV, 15% above 1 GeV, |eta| flat up to 4; about 47 charged
 * primaries per interaction at mu = 200); docs/simulation.md compares the spectra.
 */
export interface MinBiasConfig {
  /** Mean number of interactions per bunch crossing. */
  readonly pileup: number;
  /** Gaussian width of the luminous region in x and y (mm). */
  readonly beamSigmaXY: number;
  /** Gaussian width of the luminous region in z (mm). */
  readonly beamSigmaZ: number;
  /** Mean charged primaries per interaction inside the pT and eta acceptance. */
  readonly chargedPerInteraction: number;
  /** Negative-binomial shape k of the multiplicity (smaller is broader). */
  readonly multiplicityShape: number;
  /** Tsallis spectrum dN/dpT ~ pT (1 + pT/(n T))^-n. */
  readonly tsallisN: number;
  readonly tsallisT: number;
  /** Generated pT range in GeV. */
  readonly ptMin: number;
  readonly ptMax: number;
  readonly etaMax: number;
  /** Fraction of positive particles (pp collisions carry net positive charge). */
  readonly positiveFraction: number;
}

export const DEFAULT_MINBIAS: MinBiasConfig = {
  pileup: 200,
  beamSigmaXY: 0.015,
  beamSigmaZ: 5.7,
  chargedPerInteraction: 47,
  multiplicityShape: 1.2,
  tsallisN: 6.25,
  tsallisT: 0.155,
  ptMin: 0.1,
  ptMax: 100,
  etaMax: 4,
  positiveFraction: 0.54,
};

/** A generated primary particle; ids follow TrackML's vertex and primary fields. */
export interface PrimaryParticle {
  vertex: number;
  primary: number;
  vx: number;
  vy: number;
  vz: number;
  px: number;
  py: number;
  pz: number;
  q: number;
}

/** Inverse-CDF sampler of the Tsallis pT spectrum on a fine logarithmic grid. */
export class PtSampler {
  private readonly grid: Float64Array;
  private readonly cdf: Float64Array;

  constructor(n: number, t: number, ptMin: number, ptMax: number, points = 4096) {
    this.grid = new Float64Array(points);
    this.cdf = new Float64Array(points);
    const logMin = Math.log(ptMin);
    const step = (Math.log(ptMax) - logMin) / (points - 1);
    const density = (pt: number) => pt * Math.pow(1 + pt / (n * t), -n);
    let previous = 0;
    for (let i = 0; i < points; i++) {
      const pt = Math.exp(logMin + i * step);
      this.grid[i] = pt;
      // dN = f(pT) dpT = f(pT) pT dln(pT): trapezoid in ln(pT).
      const g = density(pt) * pt;
      this.cdf[i] = i === 0 ? 0 : this.cdf[i - 1] + 0.5 * (previous + g) * step;
      previous = g;
    }
    const total = this.cdf[points - 1];
    for (let i = 0; i < points; i++) this.cdf[i] /= total;
  }

  sample(rng: Rng): number {
    const u = rng.uniform();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid] <= u) lo = mid;
      else hi = mid;
    }
    const f = (u - this.cdf[lo]) / (this.cdf[hi] - this.cdf[lo]);
    return this.grid[lo] * Math.pow(this.grid[hi] / this.grid[lo], f);
  }
}

/** Negative binomial as a Poisson with a Gamma-distributed mean. */
function negativeBinomial(rng: Rng, mean: number, shape: number): number {
  return rng.poisson(rng.gamma(shape, mean / shape));
}

export function generatePileup(config: MinBiasConfig, rng: Rng): PrimaryParticle[] {
  const sampler = new PtSampler(config.tsallisN, config.tsallisT, config.ptMin, config.ptMax);
  const interactions = rng.poisson(config.pileup);
  if (interactions > 4095) throw new RangeError(`pileup ${config.pileup} gives ${interactions} vertices; TrackML ids hold 4095`);
  const particles: PrimaryParticle[] = [];
  for (let v = 1; v <= interactions; v++) {
    const vx = rng.normal(0, config.beamSigmaXY);
    const vy = rng.normal(0, config.beamSigmaXY);
    const vz = rng.normal(0, config.beamSigmaZ);
    const multiplicity = Math.min(65535, negativeBinomial(rng, config.chargedPerInteraction, config.multiplicityShape));
    for (let i = 1; i <= multiplicity; i++) {
      const pt = sampler.sample(rng);
      const eta = rng.uniformIn(-config.etaMax, config.etaMax);
      const phi = rng.uniformIn(-Math.PI, Math.PI);
      particles.push({
        vertex: v,
        primary: i,
        vx,
        vy,
        vz,
        px: pt * Math.cos(phi),
        py: pt * Math.sin(phi),
        pz: pt * Math.sinh(eta),
        q: rng.uniform() < config.positiveFraction ? 1 : -1,
      });
    }
  }
  return particles;
}
