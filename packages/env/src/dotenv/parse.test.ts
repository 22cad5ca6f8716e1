import { describe, expect, it } from 'vitest';
import { parseDotenv } from './parse.ts';

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
      [1, 'key "MY KEY" contains a space'],
      [2, 'unexpected character "$" in variable name "lol$wut"'],
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
