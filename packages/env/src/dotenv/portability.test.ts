import { describe, expect, it } from 'vitest';
import { plainReading } from './dotenv-comparison.ts';
import { parseDotenv } from './parse.ts';
import { dotenvReading, portabilityWarnings } from './portability.ts';

const warn = (text: string) => portabilityWarnings(text, parseDotenv(text).entries);

describe('portabilityWarnings: where node dotenv and compose disagree', () => {
  it('warns about an unquoted # and never shows the value', () => {
    const [w] = warn('ADMIN_REINGEST_KEY=abc#123secret\n');
    expect(w?.line).toBe(1);
    expect(w?.message).toContain('cuts the value at "#"');
    expect(JSON.stringify(w)).not.toContain('abc#123secret');
    expect(w?.fix).toContain("ADMIN_REINGEST_KEY='...'");
  });

  it('warns about $ that compose interpolates', () => {
    expect(warn('PASS=abc$def')[0]?.message).toContain('$def');
  });

  it('is silent where both agree', () => {
    expect(warn('A=1\nB=\'x#y\'\nC="multi\nline"\nexport D=4\n')).toEqual([]);
  });
});

describe('portability warnings name their real cause', () => {
  const because = (text: string) => warn(text).map((w) => w.message.replace(/^.*docker compose: /, ''));

  it.each([
    ['HOST=h\nURL=${HOST}/x', 'compose replaces ${HOST} with its value, dotenv keeps the text'],
    ['P="say \\"hi\\""', 'compose reads every backslash escape inside double quotes (\\t, \\\\, \\", \\$ ...); dotenv reads only \\n and \\r'],
    ['URL=http://$HOST:$PORT/x', 'compose replaces $HOST (unset) with an empty string, dotenv keeps the text'],
    ['P=a$$b', 'compose reads "$$" as "$", dotenv keeps both'],
    ['P=abc#123', 'dotenv cuts the value at "#" (compose starts a comment only at " #")'],
    ['P=`x`', 'dotenv removes the backticks around the value (compose keeps them)'],
    ['P="a\\tb"', 'compose reads every backslash escape inside double quotes (\\t, \\\\, \\", \\$ ...); dotenv reads only \\n and \\r'],
    ["P='it\\'s'", "compose reads \\' inside single quotes as ', dotenv keeps the backslash"],
    ['P[0]=x', 'dotenv skips the line: its keys are letters, digits, _ . and - only'],
  ])('%s: %s', (line, cause) => {
    expect(because(line)).toEqual([cause]);
  });

  it('names every cause when several apply', () => {
    expect(because('P=x#$Y')).toEqual([
      'dotenv cuts the value at "#" (compose starts a comment only at " #"); compose replaces $Y (unset) with an empty string, dotenv keeps the text',
    ]);
  });

  it('answers for plain lines without dotenv exactly as dotenv does', () => {
    const src = 'A=1\nexport B = two words \nC="x y"\nD=\'q\'\nE=${A}\nF= # c\nG=`b`\nH=a#b\n';
    const { entries } = parseDotenv(src);
    const theirs = dotenvReading(src);
    for (const e of entries) {
      const plain = plainReading(src, e);
      if (plain !== undefined) expect([e.key, plain]).toEqual([e.key, theirs[e.key]]);
    }
    expect(entries.filter((e) => plainReading(src, e) !== undefined).map((e) => e.key)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'H']);
  });
});
