import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteInput } from './quote.ts';

describe('quoteInput', () => {
  it('never echoes the password of a URL typed as a value', () => {
    expect(quoteInput('https://user:pw-SECRET@reg.example/team')).toBe('"https://user:***@reg.example/team"');
    expect(quoteInput('ghcr.io/team')).toBe('"ghcr.io/team"');
    fc.assert(fc.property(fc.stringMatching(/^[a-zA-Z0-9._~!$&'()*+,;=%-]{1,30}$/), (pw) => !quoteInput(`https://me:${pw}@host/x`, 200).includes(`:${pw}@`)));
  });
});
