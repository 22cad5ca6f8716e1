import { describe, expect, it } from 'vitest';
import { compareText } from './compare.ts';

describe('compareText', () => {
  it('orders by code unit, whatever the locale: punctuation and digits first, capitals before small letters', () => {
    expect(['docker-run', 'b', 'a', 'B', '-x', 'docker-build', 'docker1', 'é'].sort(compareText)).toEqual([
      '-x',
      'B',
      'a',
      'b',
      'docker-build',
      'docker-run',
      'docker1',
      'é',
    ]);
    expect(compareText('same', 'same')).toBe(0);
  });
});
