import type { EventProducer } from '@hypertrack/io-arrow';

/** Arrays longer than this print as their length: a detector's layer list would fill the screen. */
const LONGEST_ARRAY_SHOWN = 6;

/**
 * What made a store's events, as indented `key = value` lines (nested keys joined by dots), for
 * `inspect`. The producer's config can be any JSON; long arrays are summarised.
 */
export function formatProducer(producer: EventProducer | null): string {
  if (producer === null) return '  made by         not recorded';
  const lines = [`  made by         ${producer.name} version ${producer.version}`];
  const walk = (value: unknown, key: string): void => {
    if (Array.isArray(value) && (value.length > LONGEST_ARRAY_SHOWN || value.some((v) => typeof v === 'object' && v !== null))) {
      lines.push(`    ${key} = [${value.length} entries]`);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, key === '' ? k : `${key}.${k}`);
    } else {
      lines.push(`    ${key} = ${JSON.stringify(value)}`);
    }
  };
  walk(producer.config, '');
  return lines.join('\n');
}
