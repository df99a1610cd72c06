import { loadVega } from './load';
import { textWidth } from './text-metrics';

describe('text metrics', () => {
  test('DejaVu Sans advance widths', () => {
    expect(textWidth('0', 10)).toBeCloseTo(6.36, 6);
    expect(textWidth('iW', 10)).toBeCloseTo(2.78 + 9.89, 6);
    expect(textWidth('η', 10)).toBeCloseTo(7, 6);
    expect(textWidth('A', 10, true)).toBeCloseTo(6.84 * 1.09, 6);
  });

  test('are what vega measures with once loaded', async () => {
    const { vega } = await loadVega();
    const metrics = (vega as unknown as { textMetrics: { width: (item: object, text?: unknown) => number } }).textMetrics;
    expect(metrics.width({ fontSize: 10 }, 'iW')).toBeCloseTo(12.67, 6);
    expect(metrics.width({ fontSize: 10, fontWeight: 'bold', text: 'A' })).toBeCloseTo(7.4556, 6);
  });
});
