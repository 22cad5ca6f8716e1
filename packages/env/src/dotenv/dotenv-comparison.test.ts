import { describe, expect, it } from 'vitest';
import { bothComparisons } from './dotenv-comparison.test-helper.ts';

describe('DotenvComparison warns where the whole-file comparison with dotenv does', () => {
  it('names the plain line a later quoted value makes dotenv read differently', () => {
    // compose: K is empty (line 1) and A is the quoted text "\nK=" (lines 2-3); dotenv: A:' is no assignment, so the
    // quote on line 3 is K's value. Found by fast-check (parse.property.test.ts, seed -1113141715): K@1 is compared
    // again from the chunk's numbers, and a check by identity lost it.
    expect(bothComparisons("K=\nA:'\nK='")).toEqual({ shortcut: ['A@2', 'K@1'], whole: ['A@2', 'K@1'] });
  });

  it('is silent on plain lines both read alike', () => {
    expect(bothComparisons('A=1\nB="two"\n')).toEqual({ shortcut: [], whole: [] });
  });

  it('does not compare a file compose rejects', () => {
    expect(bothComparisons('not a line\n')).toBeUndefined();
  });
});
