/**
 * C0 and C1 control characters and DEL (ESC, CR, LF, BEL, the one-character CSI 0x9b...), the line
 * and paragraph separators, and the bidirectional overrides that reorder what a terminal shows.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` safe to print as one line on a terminal: every unprintable character becomes a JSON-style
 * `\u001b` escape, so an input that holds a terminal escape sequence (a header `ESC[31m x`, a path)
 * can neither recolour the terminal nor move the cursor, and a message never spans two lines.
 * Backslashes stay as they are: text escaped before keeps its escapes.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
