/** fast-check generators of .env text for the property tests (not part of the built package). */
import fc from 'fast-check';

/** Pieces that make .env syntax, mixed with arbitrary text: quotes, escapes, `$` forms, comments, controls. */
export const envToken = fc.oneof(
  fc.constantFrom('A', 'B', 'APP_PORT', 'ADMIN_REINGEST_KEY', 'export ', '=', ':', ' ', '\t', '\n', '\r\n', '#', ' #', '"', "'", '`', '\\', '$'),
  fc.constantFrom(
    '${',
    '}',
    ':-',
    ':?',
    ':+',
    '-',
    '?',
    '+',
    '$$',
    '${A}',
    '$A',
    '${B:-x}',
    '${A:?msg}',
    '${1}',
    '$(x)',
    '[0]',
    '\x1b]0;t\x07',
    '\u2028',
    '\u0085',
    '\u00a0',
    '\ufeff',
    '\u2000',
    '\u3000"',
    '\u202e',
    '0x50',
  ),
  fc.string({ maxLength: 8 }),
  fc.string({ maxLength: 4, unit: 'binary' }),
);
export const envText = fc.array(envToken, { maxLength: 60 }).map((t) => t.join(''));

/** Whole lines: a few keys (so that keys repeat), a separator, a value of tokens; more structure than envText. */
export const envLine = fc
  .tuple(
    fc.constantFrom('', ' ', 'export ', '\u0085', '#'),
    fc.constantFrom('A', 'B', 'K', 'APP_PORT', '', 'A B', 'K[0]'),
    fc.constantFrom('=', ' = ', ':', ': ', ''),
    fc.array(envToken, { maxLength: 6 }),
  )
  .map(([lead, key, sep, value]) => `${lead}${key}${sep}${value.join('')}`);
export const envLines = fc.array(envLine, { maxLength: 12 }).map((lines) => lines.join('\n'));
