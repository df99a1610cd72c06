import type { ViewOptions } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { loadVega } from './load';
import { THEME } from './theme';

/** A rendered plot. */
export interface Plot {
  /** A standalone SVG document (`<svg xmlns=...>`), with no external references. */
  readonly svg: string;
}

export interface RenderedSpec extends Plot {
  /** What vega-lite and vega logged while compiling and running the spec (expected to be empty). */
  readonly warnings: string[];
}

/** vega-util's logger interface (vega does not re-export its name). */
type LoggerInterface = NonNullable<ViewOptions['logger']>;

/** vega's level number for warnings (vega-util's `Warn`). */
const WARN = 2;

/** A logger that keeps warnings and errors instead of printing them. */
function collectingLogger(messages: string[]): LoggerInterface {
  const keep = (prefix: string, args: readonly unknown[]) => messages.push(prefix + args.map(String).join(' '));
  const logger: LoggerInterface = {
    level: (...level: number[]) => (level.length > 0 ? logger : WARN),
    error: (...args: unknown[]) => (keep('error: ', args), logger),
    warn: (...args: unknown[]) => (keep('', args), logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** Compiles a Vega-Lite spec with the shared theme and renders it headless to SVG. */
export async function renderSpec(spec: TopLevelSpec): Promise<RenderedSpec> {
  const { vega, vegaLite } = await loadVega();
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const compiled = vegaLite.compile(spec, { config: THEME, logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}
