import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Masker, WITHHELD, withheldNaming } from './mask.ts';

describe('Masker', () => {
  it('masks every occurrence, leaves values under 4 characters alone', () => {
    const m = new Masker();
    m.add(['s3cr3t-value', 'abc']);
    expect(m.mask('a s3cr3t-value and s3cr3t-value, abc')).toBe('a *** and ***, abc');
  });

  it('masks a secret that contains a shorter secret whole, whatever order they were added in', () => {
    const m = new Masker();
    m.add(['password']);
    m.add(['password-0123']);
    expect(m.mask('x password-0123 y password')).toBe('x *** y ***');
  });

  it('withholds a line holding a short secret whole, so the mask does not show which word it is', () => {
    const m = new Masker();
    m.add(['secret', 'long-secret-value']);
    expect(m.mask('error: 1 secret file cannot be used.\n  fix: long-secret-value\nnothing here')).toBe(`${WITHHELD}\n  fix: ***\nnothing here`);
    // The notice is the same whatever the value.
    const other = new Masker();
    other.add(['file']);
    expect(other.mask('error: 1 secret file cannot be used.')).toBe(m.mask('error: 1 secret file cannot be used.'));
  });

  it('keeps the names of the variables a withheld line is about, never one the secret is part of', () => {
    const m = new Masker();
    m.add(['abc123', 'PORT', 'long-secret-value']);
    expect(m.mask('  ✖ .env:3: APP_MODULE is "abc123", expected a module path. Fix: set APP_MODULE to a module')).toBe(withheldNaming(['APP_MODULE']));
    // APP_PORT holds the secret PORT: not shown; ENVIRONMENT is.
    expect(m.mask('APP_PORT is PORT in ENVIRONMENT')).toBe(withheldNaming(['ENVIRONMENT']));
    expect(m.mask('APP_PORT=abc123')).toBe(WITHHELD);
    // A word glued to the secret is part of what is withheld, and long secrets are masked before names are taken.
    expect(m.mask('KEY_abc123 and long-secret-value_X and OTHER_KEY')).toBe(withheldNaming(['OTHER_KEY']));
  });

  it('shows no name when names side by side would spell a secret', () => {
    const m = new Masker();
    m.add(['B_C, D', 'xyzw']);
    expect(m.mask('A_B_C D_E xyzw')).toBe(WITHHELD);
    const n = new Masker();
    n.add(['Q_Q, D', 'xyzw']);
    expect(n.mask('A_B_C D_E xyzw')).toBe(withheldNaming(['A_B_C', 'D_E']));
  });

  it('leaves no secret in a withheld line that names variables (property)', () => {
    const word = fc.string({ unit: fc.constantFrom('A', 'B', '_', '1', ' ', ',', 'a'), minLength: 1, maxLength: 9 });
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('A', 'B', '_', '1', ' ', ','), minLength: 4, maxLength: 7 }), { minLength: 1, maxLength: 3 }),
        fc.array(word, { maxLength: 6 }),
        (secrets, words) => {
          const m = new Masker();
          m.add(secrets);
          const masked = m.mask([...words, secrets[0]].join(' '));
          for (const s of secrets) if (!WITHHELD.includes(s)) expect(masked.includes(s)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves no secret of at least 4 characters in the text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 4, maxLength: 12 }), { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 10 }), (secrets, filler) => {
        const m = new Masker();
        m.add(secrets);
        const masked = m.mask(secrets.join(filler));
        // Masking can only fail to hide a secret that masking itself rebuilt from *** and its neighbours.
        for (const s of secrets) if (!s.includes('*') && !WITHHELD.includes(s)) expect(masked.includes(s) && !`${filler}***${filler}`.includes(s)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
