import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellJoin, shellWords, splitCommands, withoutAssignments } from './shell.ts';

describe('shellWords', () => {
  it('reads words as sh does: quotes removed, escapes applied', () => {
    expect(shellWords(`python -c 'import os; print(1)' --x="a b" c\\ d`)).toEqual({
      ok: true,
      words: ['python', '-c', 'import os; print(1)', '--x=a b', 'c d'],
    });
    expect(shellWords('echo "a\\"b" # a comment')).toEqual({ ok: true, words: ['echo', 'a"b'] });
    expect(shellWords("''")).toEqual({ ok: true, words: [''] });
  });

  it('says why a command is not one simple command', () => {
    expect(shellWords('a && b')).toEqual({ ok: false, why: 'the operator "&&"' });
    expect(shellWords('worker & web')).toEqual({ ok: false, why: 'the operator "&"' });
    expect(shellWords('echo $(date)')).toEqual({ ok: false, why: 'the operator "$("' });
    expect(shellWords('echo "`date`"')).toEqual({ ok: false, why: 'a command substitution' });
    expect(shellWords("echo 'open")).toEqual({ ok: false, why: 'an unterminated single quote' });
    expect(shellWords('a > log')).toEqual({ ok: false, why: 'the operator ">"' });
  });

  it('shellJoin then shellWords gives the same words back, whatever they hold', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), { minLength: 1, maxLength: 6 }), (words) => {
        expect(shellWords(shellJoin(words))).toEqual({ ok: true, words });
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const r = shellWords(text);
        expect(typeof r.ok).toBe('boolean');
        for (const c of splitCommands(text)) expect(c.trim()).toBe(c);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('splitCommands', () => {
  it('splits a RUN at &&, ||, ; and new lines outside quotes, and keeps pipes', () => {
    expect(splitCommands('apt-get update && apt-get install -y curl \\\n  && rm -rf /var/lib/apt/lists/*; echo "a && b" | tee x')).toEqual([
      'apt-get update',
      'apt-get install -y curl',
      'rm -rf /var/lib/apt/lists/*',
      'echo "a && b" | tee x',
    ]);
  });

  it('drops assignments before a command', () => {
    expect(withoutAssignments(['DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install'])).toEqual(['apt-get', 'install']);
  });
});
