import type { Rng } from '@hypertrack/core';

/** Charged pion mass in GeV: the simulated hadrons are taken as pions for beta. */
export const PION_MASS = 0.13957;

/**
 * Highland's formula (PDG review, "Passage of particles through matter") for the width of the
 * projected multiple-scattering angle, in radians, of a unit-charge particle of momentum p (GeV)
 * crossing `radiationLengths` of material.
 */
export function highlandTheta0(p: number, mass: number, radiationLengths: number): number {
  if (radiationLengths <= 0) return 0;
  const beta = p / Math.sqrt(p * p + mass * mass);
  return (0.0136 / (beta * p)) * Math.sqrt(radiationLengths) * (1 + 0.038 * Math.log(radiationLengths / (beta * beta)));
}

/**
 * Deflects momentum (px, py, pz) by two independent Gaussian projected angles of width theta0,
 * keeping |p|. Writes the result into `out` (length 3).
 */
export function scatter(px: number, py: number, pz: number, theta0: number, rng: Rng, out: Float64Array): void {
  const p = Math.sqrt(px * px + py * py + pz * pz);
  const dx = px / p;
  const dy = py / p;
  const dz = pz / p;
  // Two unit vectors orthogonal to the direction: u in the transverse plane where possible.
  let ux: number, uy: number, uz: number;
  const t = Math.sqrt(dx * dx + dy * dy);
  if (t > 1e-9) {
    ux = -dy / t;
    uy = dx / t;
    uz = 0;
  } else {
    ux = 1;
    uy = 0;
    uz = 0;
  }
  const vx = dy * uz - dz * uy;
  const vy = dz * ux - dx * uz;
  const vz = dx * uy - dy * ux;
  const a = rng.normal() * theta0;
  const b = rng.normal() * theta0;
  // Exact rotation by the space angle sqrt(a^2+b^2) about the axis orthogonal to (a u + b v).
  const theta = Math.sqrt(a * a + b * b);
  const cos = Math.cos(theta);
  const sinOver = theta > 0 ? Math.sin(theta) / theta : 1;
  out[0] = p * (cos * dx + sinOver * (a * ux + b * vx));
  out[1] = p * (cos * dy + sinOver * (a * uy + b * vy));
  out[2] = p * (cos * dz + sinOver * (a * uz + b * vz));
}
