/**
 * Property-based tests (fast-check): the reader and interpolation take any text. Whatever it is, they return or
 * report problems; the only exception interpolation may throw is InterpolationError; nothing else escapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bothComparisons } from './dotenv-comparison.test-helper.ts';
import { envLines, envText } from './env-text.arbitrary.ts';
import { InterpolationError, interpolate, interpolateTracked } from './interpolate.ts';
import { parseDotenv } from './parse.ts';
import { portabilityWarnings } from './portability.ts';

const lookupOf = (env: Record<string, string>) => (k: string) => (Object.hasOwn(env, k) ? env[k] : undefined);
const env = fc.dictionary(fc.constantFrom('A', 'B', 'HOME', 'constructor', '__proto__'), fc.string({ maxLength: 6 }));

describe('the .env reader takes any text', () => {
  it('parses anything without throwing, and every entry and problem has a line in the text', () => {
    fc.assert(
      fc.property(fc.oneof(envText, fc.string({ unit: 'binary', maxLength: 200 })), env, (text, shell) => {
        const { entries, problems } = parseDotenv(text, lookupOf(shell));
        const lines = text.split('\n').length;
        for (const x of [...entries, ...problems]) expect(x.line).toBeGreaterThanOrEqual(1);
        for (const x of [...entries, ...problems]) expect(x.line).toBeLessThanOrEqual(lines);
        portabilityWarnings(text, entries);
      }),
      { numRuns: 2000 },
    );
  });

  it('interpolation throws InterpolationError or nothing', () => {
    fc.assert(
      fc.property(envText, env, (text, shell) => {
        try {
          interpolate(text, lookupOf(shell));
          interpolateTracked(text, (k) => (Object.hasOwn(shell, k) ? { value: shell[k] as string, secret: 'S' } : undefined));
        } catch (error) {
          expect(error).toBeInstanceOf(InterpolationError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never takes a value from Object.prototype', () => {
    const { entries } = parseDotenv('A=$constructor${toString}${__proto__:-d}\nhasOwnProperty\n');
    expect(entries.map((e) => e.value)).toEqual(['d', '']);
  });

  it('warns, for every file compose reads without error, about the lines a whole-file comparison with dotenv finds', () => {
    fc.assert(
      fc.property(fc.oneof(envText, envLines), (text) => {
        const both = bothComparisons(text);
        // A line compose rejects is an error already; what dotenv makes of it is not compared (see dotenv-comparison.ts).
        if (both) expect(both.shortcut).toEqual(both.whole);
      }),
      { numRuns: 5000 },
    );
  });
});
