/**
 * Text widths for vega's layout. Without a canvas (none on Node), vega guesses 0.8 em per
 * character, which is far too wide for digits and lower case and leaves gaps beside axis titles
 * and legends. These are DejaVu Sans advance widths (the font the PNGs are drawn with), read from
 * its hmtx table, in thousandths of an em for characters 32..126.
 */
const ASCII_WIDTHS = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838,
  531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390,
  838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337,
  636, 838,
];
/** Most other glyphs used here (Greek letters, ±, ≥, ×) are 0.61-0.84 em wide. */
const OTHER_WIDTH = 700;
/** DejaVu Sans Bold is about 9% wider than the book weight. */
const BOLD_FACTOR = 1.09;

export function textWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    units += code >= 32 && code <= 126 ? ASCII_WIDTHS[code - 32] : OTHER_WIDTH;
  }
  return (units / 1000) * fontSize * (bold ? BOLD_FACTOR : 1);
}

/** The subset of a vega scenegraph text item that its width depends on. */
interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

/** vega-scenegraph's `textMetrics` object; it is missing from vega's type declarations. */
interface TextMetrics {
  width: (item: TextItem, text?: unknown) => number;
}

function isBold(weight: string | number | undefined): boolean {
  return weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && Number(weight) >= 600);
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return Array.isArray(value) ? value.map(asText).reduce((a, b) => (b.length > a.length ? b : a), '') : String(value);
}

/**
 * Points vega's text measurement at `textWidth`. vega exposes `textMetrics.width` for exactly
 * this (vl-convert does the same); it is process-wide, which is harmless for other vega users.
 */
export function installTextMetrics(vega: object): void {
  const metrics = (vega as { textMetrics?: TextMetrics }).textMetrics;
  if (!metrics) return;
  metrics.width = (item, text) => textWidth(asText(text ?? item.text), item.fontSize ?? 11, isBold(item.fontWeight));
}
