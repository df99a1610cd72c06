import { Resvg } from '@resvg/resvg-js';
import { defaultFontFiles } from './fonts';

export interface PngOptions {
  /** Pixels per SVG unit (default 2, for sharp text on high-density screens and in slides). */
  readonly scale?: number;
  /** Default white; PNGs of transparent plots are hard to read on dark viewers. */
  readonly background?: string;
  /** TrueType/OpenType files to draw text with (default: DejaVu Sans, see `defaultFontFiles`). */
  readonly fontFiles?: readonly string[];
}

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Rasterises an SVG (e.g. a plot's `svg`) to PNG with resvg. */
export function toPng(svg: string, options: PngOptions = {}): Buffer {
  const fontFiles = [...(options.fontFiles ?? defaultFontFiles())];
  const resvg = new Resvg(svg, {
    background: options.background ?? 'white',
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
