/**
 * The subset of the Phoenix event display's JSON event format (HSF phoenix,
 * guides/developers/event_data_format.md) that the export writes, in Phoenix's units: lengths in
 * mm (as in TrackML), momenta in MeV (Phoenix's track cuts run pT over 0-50,000 and its
 * "colour by momentum" mom over 0-50,000: ATLAS units; TrackML's GeV are multiplied by 1000).
 */

export type Vec3 = [number, number, number];

/** A hit drawn as a point (Phoenix's default hit `type`, 'Point'). Other keys are shown on selection. */
export interface PhoenixHit {
  pos: Vec3;
  hitId: number;
}

export interface PhoenixTrack {
  /** Polyline through the track's hits in order of flight; Phoenix draws a spline through them. */
  pos: Vec3[];
  /** 6 hex digits without '#': Phoenix reads it with parseInt(color, 16). */
  color: string;
  /** Direction, used by Phoenix's cut sliders. */
  phi: number;
  eta: number;
  /** Hits of the track (pos may also start with the production vertex). */
  nhits: number;
  /**
   * Transverse momentum in MeV, used by Phoenix's pT cut. True tracks: the particle's. Reconstructed
   * tracks: estimated from the curvature of a circle fit through the hits, where the field is known.
   */
  pT?: number;
  /** True tracks: the TrackML particle_id (a 64-bit integer, as a decimal string), charge, and |p| in MeV (Phoenix's "colour by momentum"). */
  particleId?: string;
  charge?: number;
  mom?: number;
  /** Reconstructed tracks: the cluster label. */
  label?: number;
}

/** One event: "event number" and "run number", then collections by object type and name. */
export interface PhoenixEvent {
  'event number': number;
  'run number': number;
  Hits: Record<string, PhoenixHit[]>;
  Tracks: Record<string, PhoenixTrack[]>;
}

/** A Phoenix event file: events keyed by name. */
export type PhoenixEventFile = Record<string, PhoenixEvent>;
