import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, NameMatcher } from './did-you-mean.ts';

const SPEC = ['APP_PORT', 'OLLAMA_MODEL', 'OLLAMA_BASE_URL', 'OPENAI_MODEL', 'ADMIN_REINGEST_KEY', 'UV_IMAGE'];

describe('did you mean', () => {
  it.each([
    ['APP_PROT', ['APP_PORT']],
    ['OLLAMA_MODL', ['OLLAMA_MODEL']],
    ['app_port', ['APP_PORT']],
    ['ADMIN_REINGEST_KY', ['ADMIN_REINGEST_KEY']],
    ['APP_PORT', []],
    ['DATABASE_URL', []],
    ['SERVICE_123_HOST', []],
    ['', []],
  ])('%s → %j', (name, expected) => {
    expect(didYouMean(name, SPEC)).toEqual(expected);
  });

  it('counts an adjacent swap as one edit and stops past the allowance', () => {
    expect(editDistance('APP_PROT', 'APP_PORT', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('a'.repeat(10_000), 'APP_PORT', 2)).toBe(3);
  });

  it('returns every name at the same best distance', () => {
    expect(new NameMatcher(['AB_CD_X', 'AB_CD_Y']).match('AB_CD_Z')).toEqual(['AB_CD_X', 'AB_CD_Y']);
  });

  it('gives the textbook distance (capped at max + 1) for any pair, whatever the calls before it left in its scratch rows', () => {
    const word = fc.string({ unit: fc.constantFrom('A', 'B', 'C', '_', '\u{1F600}'), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.tuple(word, word, fc.integer({ min: 0, max: 4 })), { minLength: 1, maxLength: 5 }), (pairs) => {
        for (const [a, b, max] of pairs) expect(editDistance(a, b, max)).toBe(Math.min(osa(a, b), max + 1));
      }),
    );
  });
});

describe('NameMatcher', () => {
  it('finds, for any name, what comparing it with every known name finds', () => {
    const word = fc.string({ unit: fc.constantFrom('A', 'P', 'O', 'R', 'T', '_', 'a', '1', '7'), maxLength: 10 });
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), fc.array(word, { minLength: 1, maxLength: 8 }), (known, names) => {
        const matcher = new NameMatcher(known);
        for (const name of [...names, ...known]) expect(matcher.match(name)).toEqual(everyName(known, name));
      }),
    );
  });

  it('says which lengths are out of reach of every name (shorter or longer than any typo may be)', () => {
    const m = new NameMatcher(['APP_PORT', 'KEY']);
    expect([2, 3, 4, 6, 10, 11].map((n) => m.mayMatch(n))).toEqual([false, true, true, true, true, false]);
    expect(new NameMatcher([]).mayMatch(3)).toBe(false);
  });
});

/** NameMatcher.match the slow way: the distance to every known name, the allowance by the known name's length. */
function everyName(known: readonly string[], name: string): string[] {
  if (known.includes(name)) return [];
  const scored = known.flatMap((k) => {
    const d = osa(name.toUpperCase(), k.toUpperCase());
    return d <= (k.length <= 3 ? 0 : k.length <= 6 ? 1 : 2) ? [{ k, d }] : [];
  });
  const best = Math.min(...scored.map((s) => s.d));
  return scored.filter((s) => s.d === best).map((s) => s.k);
}

/** Optimal string alignment distance over UTF-16 code units, the plain full-table way. */
function osa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
