import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The faces the plots use: book for text, bold for titles. */
const FACES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

/** Debian's fonts-dejavu-core, present on most Linux machines. */
const SYSTEM_DIR = '/usr/share/fonts/truetype/dejavu';

let cached: string[] | undefined;

/**
 * Font files for the PNG renderer, which sees no system fonts unless told (loading them all is
 * slow and makes output machine-dependent). First the `dejavu-fonts-ttf` package this package
 * depends on, then Debian's fonts-dejavu-core; [] when neither is there, and PNG text is then
 * left out (the SVG is unaffected).
 */
export function defaultFontFiles(): string[] {
  cached ??= fromPackage() ?? fromSystem() ?? [];
  return cached;
}

function fromPackage(): string[] | undefined {
  try {
    const require = createRequire(import.meta.url);
    const files = FACES.map((face) => require.resolve(`dejavu-fonts-ttf/ttf/${face}`));
    return files.every((f) => existsSync(f)) ? files : undefined;
  } catch {
    return undefined;
  }
}

function fromSystem(): string[] | undefined {
  const files = FACES.map((face) => `${SYSTEM_DIR}/${face}`);
  return files.every((f) => existsSync(f)) ? files : undefined;
}
