import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Masker, WITHHELD } from './mask.ts';

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
