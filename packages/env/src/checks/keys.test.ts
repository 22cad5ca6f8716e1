import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../dotenv/parse.ts';
import { NameMatcher } from '../text/did-you-mean.ts';
import { FileKeys, secretNames } from './keys.ts';

describe('secretNames', () => {
  it('is true for a secret or a typo of one that is not another schema key, whatever the lengths', () => {
    const word = fc.string({ unit: fc.constantFrom('K', 'E', 'Y', '_', 'A'), maxLength: 9 });
    fc.assert(
      fc.property(fc.array(word, { maxLength: 3 }), fc.array(word, { maxLength: 4 }), fc.array(word, { maxLength: 10 }), (secrets, others, names) => {
        const isSecret = secretNames(secrets, [...secrets, ...others]);
        const matcher = new NameMatcher(secrets);
        for (const name of [...names, ...secrets, ...others]) {
          const expected = secrets.includes(name) || (![...secrets, ...others].includes(name) && matcher.match(name).length > 0);
          expect(isSecret(name)).toBe(expected);
        }
      }),
    );
  });

  it('names a typo of a secret, not a schema key close to one', () => {
    const isSecret = secretNames(['ADMIN_REINGEST_KEY'], ['ADMIN_REINGEST_KEY', 'ADMIN_REINGEST_KEY_FILE', 'APP_PORT']);
    expect(['ADMIN_REINGEST_KEY', 'ADMIN_REINGEST_KY', 'ADMIN_REINGEST_KEY_FILE', 'APP_PORT', 'URL_1'].map(isSecret)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('FileKeys', () => {
  it('reports each key set more than once, in the order of their first repeat, with its lines', () => {
    const src = 'B=1\nA=1\nB=2\nC=1\nA=2\nB=3\nA=3\nA=4\nA=5\nA=6\n';
    const keys = new FileKeys(src, '.env', undefined);
    for (const e of parseDotenv(src).entries) keys.see(e, true);
    const messages = [...keys.warnings(() => undefined)].map((w) => w().message);
    expect(messages).toEqual([
      'B is set 3 times in .env: at .env:1, .env:3 and .env:6; compose uses the last one (.env:6)',
      'A is set 6 times in .env: at .env:2, .env:5, .env:7, .env:8 and 2 more; compose uses the last one (.env:10)',
    ]);
  });
});
