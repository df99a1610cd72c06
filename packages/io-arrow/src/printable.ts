/**
 * Text from a file, made safe to echo in a one-line error message. A header name or a field can
 * hold anything, including a terminal escape sequence (ESC [ 31 m ...) that would recolour the
 * terminal, move the cursor or hide the rest of the message when printed raw.
 */

/**
 * C0 and C1 control characters and DEL (ESC, CR, LF, BEL, the single-character CSI 0x9b...), line
 * and paragraph separators, and the bidirectional overrides that reorder what is displayed.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * `text` with every unprintable character as a JSON-style `\u001b` escape and `\` as `\\`, cut
 * after `max` characters (before escaping, so an escape is never cut in half).
 */
export function escapeText(text: string, max = Infinity): string {
  const shown = text.length > max ? `${text.slice(0, max)}...` : text;
  return shown.replace(/\\/g, '\\\\').replace(UNPRINTABLE, escapeOne);
}

/** `text` in double quotes, escaped as JSON does and as `escapeText` does, cut after `max` characters. */
export function quoteText(text: string, max = 40): string {
  const shown = text.length > max ? `${text.slice(0, max)}...` : text;
  return JSON.stringify(shown).replace(UNPRINTABLE, escapeOne);
}
