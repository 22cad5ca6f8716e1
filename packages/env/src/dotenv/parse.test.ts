import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EnvEntry, type ParseProblem, parseDotenv, scanDotenv, trimmedSpace, unquotedValue } from './parse.ts';

const values = (text: string, lookup?: (k: string) => string | undefined) => Object.fromEntries(parseDotenv(text, lookup).entries.map((e) => [e.key, e.value]));

describe('parseDotenv reads .env the way docker compose does', () => {
  it.each([
    ['PASS=abc#123', 'abc#123'],
    ['FOO=bar #comment', 'bar'],
    ['FOO= # note', '# note'],
    ['FOO=bar\t# c', 'bar\t# c'],
    ["FOO='Let\\'s go'", "Let's go"],
    ['FOO="a\\"b"', 'a"b'],
    ['FOO="a\\tb"', 'a\tb'],
    ['FOO=`hello world`', '`hello world`'],
    ['PASS=a$$b', 'a$b'],
    ["PASS='abc$def'", 'abc$def'],
    ['PASS=abc$def', 'abc'],
    ['export FOO=1', '1'],
    ['FOO: bar', 'bar'],
    ['FOO = spaced ', 'spaced'],
    ['FOO="  keep  "', '  keep  '],
    ['FOO={"a": "b"}', '{"a": "b"}'],
    ['FOO=$(echo pwned)', '$(echo pwned)'],
    ['FOO="\\$HOME"', '$HOME'],
  ])('%s → %j', (line, expected) => {
    expect(values(line).FOO ?? values(line).PASS).toBe(expected);
  });

  it('reads multi-line quoted values and keeps line numbers right', () => {
    const { entries } = parseDotenv('A="one\ntwo"\nB=2\n');
    expect(entries.map((e) => [e.key, e.value, e.line])).toEqual([
      ['A', 'one\ntwo', 1],
      ['B', '2', 3],
    ]);
  });

  it('handles CRLF, a BOM and comments', () => {
    expect(values('\uFEFF# c\r\nA=1\r\n\r\n  # x\r\nB=2\r\n')).toEqual({ A: '1', B: '2' });
  });

  it('interpolates from the lookup first, then earlier lines; later duplicates win', () => {
    expect(values('A=1\nB=${A}-${HOME_X:-d}\nA=3\nC=$A', (k) => (k === 'HOME_X' ? 'h' : undefined))).toEqual({ A: '3', B: '1-h', C: '3' });
  });

  it('inherits a bare key from the lookup', () => {
    const { entries } = parseDotenv('OPENAI_API_KEY\n', (k) => (k === 'OPENAI_API_KEY' ? 'from-shell' : undefined));
    expect(entries[0]).toMatchObject({ key: 'OPENAI_API_KEY', value: 'from-shell', inherited: true });
  });

  it('records every malformed line with its number and goes on', () => {
    const { entries, problems } = parseDotenv('MY KEY=1\nlol$wut\nOK=1\nBAD="abc\nX=${Y:?set Y}\nZ=2\n');
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [1, 'the key "MY" is followed by a space and more text'],
      [2, 'unexpected character "$" in a variable name (after "lol")'],
      [4, 'unterminated quoted value for BAD: the double quote is never closed'],
      [5, 'X: required variable Y is missing a value: set Y'],
    ]);
    expect(entries.map((e) => e.key)).toEqual(['OK', 'Z']);
  });

  it('flags text after a closing quote', () => {
    expect(parseDotenv('FOO="bar" baz').problems[0]?.message).toBe('unexpected text after the closing quote of FOO');
    expect(parseDotenv('FOO="bar" # fine').problems).toEqual([]);
  });

  it('reports an unset reference so the caller can warn', () => {
    expect(parseDotenv('PASS=abc$def').entries[0]?.unset).toEqual(['def']);
  });
});

describe('scanDotenv: secrets, hostile text, linear work', () => {
  const scan = (text: string, lookup: Record<string, string> = {}) => {
    const entries: EnvEntry[] = [];
    const problems: ParseProblem[] = [];
    scanDotenv(text, {
      lookup: (k) => (k in lookup ? { value: lookup[k] as string } : entries.findLast((e) => e.key === k)),
      isSecret: (k) => k === 'ADMIN_REINGEST_KEY',
      onEntry: (e) => entries.push(e),
      onProblem: (make) => problems.push(make()),
    });
    return { entries, problems };
  };

  it('marks a secret, and every value built from it, with the secret it came from', () => {
    const { entries } = scan('ADMIN_REINGEST_KEY=k3y\nA=${ADMIN_REINGEST_KEY}\nB=http://u:$A@h\nC=$HOST\nD="${ADMIN_REINGEST_KEY:+yes}"\n', { HOST: 'h' });
    expect(entries.map((e) => [e.key, e.secret])).toEqual([
      ['ADMIN_REINGEST_KEY', 'ADMIN_REINGEST_KEY'],
      ['A', 'ADMIN_REINGEST_KEY'],
      ['B', 'ADMIN_REINGEST_KEY'],
      ['C', undefined],
      ['D', undefined],
    ]);
  });

  it('quotes no more of a bad line than its first word, so a key and secret without "=" do not leak', () => {
    const { problems } = scan('ADMIN_REINGEST_KEY s3cret-value\nabc!s3cret-value\nADMIN_REINGEST_KEY=${s3cret-value\n');
    expect(JSON.stringify(problems)).not.toContain('s3cret');
    expect(problems.map((p) => p.message)).toEqual([
      'the key "ADMIN_REINGEST_KEY" is followed by a space and more text',
      'unexpected character "!" in a variable name (after "abc")',
      'ADMIN_REINGEST_KEY: a "${" has no closing "}"',
    ]);
  });

  it('escapes control characters and cuts long text in messages', () => {
    const { problems } = scan(`\x1b]0;t\x07=1\nK=\${\x1b[2J}\n${'L'.repeat(5000)} x\n`);
    expect(problems.map((p) => p.message)).toEqual([
      'unexpected character "\\x1b" in a variable name (at the start of the line)',
      'K: the text after "${" is not a variable name in "${\\x1b[2J}"',
      `the key "${'L'.repeat(60)}"… (+4940 more characters) is followed by a space and more text`,
    ]);
  });
});

describe('unquotedValue finds the value in place', () => {
  it('trims exactly what String.prototype.trimEnd trims, for every UTF-16 code unit', () => {
    const differ: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (trimmedSpace(c) !== (String.fromCharCode(c).trimEnd() === '')) differ.push(c);
    expect(differ).toEqual([]);
  });

  it('is the rest of the line cut at " #" and trimmed at the end, as a copy of the line would give', () => {
    const piece = fc.constantFrom(' ', '#', ' #', '\t', '\r', 'a', '$', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u0085', '\n');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 20 }).map((p) => p.join('')),
        fc.nat(),
        fc.nat(),
        (src, x, y) => {
          const from = x % (src.length + 1);
          const to = from + (y % (src.length - from + 1));
          const raw = src.slice(from, to);
          const hash = raw.indexOf(' #');
          expect(unquotedValue(src, from, to)).toBe((hash >= 0 ? raw.slice(0, hash) : raw).trimEnd());
        },
      ),
    );
  });
});
