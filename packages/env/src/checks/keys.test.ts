import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameMatcher } from '../text/did-you-mean.ts';
import { secretNames } from './keys.ts';

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
