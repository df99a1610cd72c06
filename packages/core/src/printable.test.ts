import { printable } from './printable';

describe('printable', () => {
  it('escapes terminal escape sequences, line breaks and bidirectional overrides', () => {
    expect(printable("column '\x1b[31mx\x1b]0;owned\x07'")).toBe("column '\\u001b[31mx\\u001b]0;owned\\u0007'");
    expect(printable('a\nb\r\n\tc')).toBe('a\\u000ab\\u000d\\u000a\\u0009c');
    expect(printable('\x9b2J \x7f \u2028 \u202e \u2066')).toBe('\\u009b2J \\u007f \\u2028 \\u202e \\u2066');
  });

  it('leaves printable text, accents and earlier escapes alone', () => {
    const text = 'in/event000000002-hits.csv:3: column \'x\': expected a number, got "é \\u001b"';
    expect(printable(text)).toBe(text);
  });
});
