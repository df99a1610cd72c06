import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite';
import { installTextMetrics } from './text-metrics';

export interface VegaModules {
  readonly vega: typeof Vega;
  readonly vegaLite: typeof VegaLite;
}

let loading: Promise<VegaModules> | undefined;

/**
 * vega and vega-lite, loaded on first use. They are ES modules only, and vega-canvas awaits at
 * its top level, which `require()` cannot load; a dynamic import works from both of our builds.
 */
export function loadVega(): Promise<VegaModules> {
  loading ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => {
    installTextMetrics(vega);
    return { vega, vegaLite };
  });
  return loading;
}
