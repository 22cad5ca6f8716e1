import { describe, expect, it } from 'vitest';
import { escapeControls, quoteText, showName } from './escape.ts';

describe('escaping text from user files for messages', () => {
  it.each([
    ['\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'],
    ['a\nb\r\tc', 'a\\nb\\r\\tc'],
    ['\x9b31m', '\\x9b31m'],
    ['\u202eevil', '\\u202eevil'],
    ['zero\u200bwidth', 'zero\\u200bwidth'],
    ['line\u2028sep', 'line\\u2028sep'],
    ['\ud800lone', '\\ud800lone'],
    ['plain ünïcödé 😀', 'plain ünïcödé 😀'],
  ])('%j → %s', (input, expected) => {
    expect(escapeControls(input)).toBe(expected);
  });

  it('quotes with " and \\ escaped, and cuts long text with a count (never inside a surrogate pair)', () => {
    expect(quoteText('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    expect(quoteText('x'.repeat(100_000))).toBe(`"${'x'.repeat(60)}"… (+99940 more characters)`);
    expect(quoteText(`${'x'.repeat(59)}😀tail`, 60)).toBe(`"${'x'.repeat(59)}"… (+6 more characters)`);
    expect(showName('K'.repeat(70))).toBe(`${'K'.repeat(60)}… (+10 more characters)`);
  });

  it('leaves no control character in anything it returns', () => {
    const all = Array.from({ length: 0x300 }, (_, i) => String.fromCharCode(i)).join('');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
    expect(quoteText(all, 10_000)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
