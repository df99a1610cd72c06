/**
 * Material effects beyond scattering, for silicon, the material of every sensor: the mean
 * ionisation energy loss by the Bethe formula with Sternheimer's density correction (PDG review,
 * "Passage of particles through matter", eq. 34.5 and the silicon entry of the atomic and nuclear
 * properties tables), and the nuclear interaction length. Other materials (the beryllium beam
 * pipe) are treated as silicon of the same radiation thickness; the beam pipe's 0.3% X0 makes
 * that difference negligible.
 */

/** Electron mass (GeV). */
const ELECTRON_MASS = 0.000510999;
/** K = 4 pi N_A r_e^2 m_e c^2 (GeV cm^2 / mol). */
const BETHE_K = 0.307075e-3;
const SILICON_Z_OVER_A = 0.49848;
/** Mean excitation energy of silicon (GeV). */
const SILICON_I = 173e-9;
const SILICON_DENSITY = 2.329; // g / cm^3
/** Radiation length of silicon (cm). */
const SILICON_X0_CM = 9.37;
/** Sternheimer's density-effect parameters of silicon. */
const STERNHEIMER = { cBar: 4.4355, x0: 0.2015, x1: 2.8716, a: 0.1492, k: 3.2546, delta0: 0.14 };
/** Nuclear interaction length of silicon (cm). */
const SILICON_LAMBDA_CM = 46.52;
/** Interaction lengths per radiation length of silicon: the chance of a hadronic interaction per X0. */
export const SILICON_X0_OVER_LAMBDA = SILICON_X0_CM / SILICON_LAMBDA_CM;

/**
 * Mean energy (GeV) that a unit-charge particle of momentum p (GeV) and mass m (GeV) loses per
 * radiation length of silicon, from the Bethe formula itself.
 */
export function betheLossPerX0(p: number, mass: number): number {
  const betaGamma = p / mass;
  const gamma = Math.sqrt(1 + betaGamma * betaGamma);
  const beta2 = (betaGamma * betaGamma) / (gamma * gamma);
  const ratio = ELECTRON_MASS / mass;
  // Largest energy transfer to one electron in a collision.
  const tMax = (2 * ELECTRON_MASS * betaGamma * betaGamma) / (1 + 2 * gamma * ratio + ratio * ratio);
  const logTerm = 0.5 * Math.log((2 * ELECTRON_MASS * betaGamma * betaGamma * tMax) / (SILICON_I * SILICON_I));
  const perGramCm2 = ((BETHE_K * SILICON_Z_OVER_A) / beta2) * Math.max(0, logTerm - beta2 - densityCorrection(betaGamma) / 2);
  return perGramCm2 * SILICON_DENSITY * SILICON_X0_CM;
}

/**
 * The transport asks for the loss at every crossing; the formula's logarithms and powers cost more
 * than the rest of a crossing, so it is tabulated once per mass on a fine grid in ln(beta gamma)
 * (linear interpolation, within 0.01% of the formula; outside the grid the formula is used).
 */
const TABLE_LN_MIN = -3;
const TABLE_LN_MAX = 10;
const TABLE_STEP = 0.005;
const tables = new Map<number, Float64Array>();
function lossTable(mass: number): Float64Array {
  let table = tables.get(mass);
  if (table === undefined) {
    table = new Float64Array(Math.ceil((TABLE_LN_MAX - TABLE_LN_MIN) / TABLE_STEP) + 1);
    for (let i = 0; i < table.length; i++) table[i] = betheLossPerX0(mass * Math.exp(TABLE_LN_MIN + i * TABLE_STEP), mass);
    tables.set(mass, table);
  }
  return table;
}

/**
 * Mean energy (GeV) that a unit-charge particle of momentum p (GeV) and mass m (GeV) loses
 * crossing `radiationLengths` of silicon.
 */
export function betheMeanLoss(p: number, mass: number, radiationLengths: number): number {
  if (radiationLengths <= 0 || p <= 0) return 0;
  const at = (Math.log(p / mass) - TABLE_LN_MIN) / TABLE_STEP;
  const table = lossTable(mass);
  if (!(at >= 0 && at < table.length - 1)) return betheLossPerX0(p, mass) * radiationLengths;
  const i = Math.floor(at);
  const f = at - i;
  return (table[i] + f * (table[i + 1] - table[i])) * radiationLengths;
}

/** Sternheimer's delta(beta gamma): the polarisation of the medium that tames the relativistic rise. */
function densityCorrection(betaGamma: number): number {
  const { cBar, x0, x1, a, k, delta0 } = STERNHEIMER;
  const x = Math.log10(betaGamma);
  if (x >= x1) return 2 * Math.LN10 * x - cBar;
  if (x >= x0) return 2 * Math.LN10 * x - cBar + a * (x1 - x) ** k;
  return delta0 * 10 ** (2 * (x - x0));
}

/**
 * Momentum magnitude (GeV) after losing energy `loss` (GeV); 0 when the particle stops.
 */
export function momentumAfterLoss(p: number, mass: number, loss: number): number {
  const energy = Math.sqrt(p * p + mass * mass) - loss;
  return energy > mass ? Math.sqrt(energy * energy - mass * mass) : 0;
}
