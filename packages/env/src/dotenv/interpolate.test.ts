import { describe, expect, it } from 'vitest';
import { InterpolationError, interpolate } from './interpolate.ts';

const env: Record<string, string> = { SET: 'v', EMPTY: '' };
const run = (s: string) => interpolate(s, (k) => env[k]).value;

describe('interpolate (compose template rules)', () => {
  it.each([
    ['$SET', 'v'],
    ['${SET}', 'v'],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET:-${SET}}', 'v'],
    ['$$SET', '$SET'],
    ['cost: 5$', 'cost: 5$'],
    ['$(whoami)', '$(whoami)'],
  ])('%s → %j', (input, expected) => {
    expect(run(input)).toBe(expected);
  });

  it('throws on required-but-missing and on broken templates', () => {
    expect(() => run('${UNSET:?give it}')).toThrow(new InterpolationError('required variable UNSET is missing a value: give it'));
    expect(() => run('${EMPTY:?}')).toThrow(InterpolationError);
    expect(run('${EMPTY?}')).toBe('');
    expect(() => run('${BAD')).toThrow(/no closing/);
    expect(() => run('${1X}')).toThrow(/not a variable name/);
  });

  it('lists unset variables once', () => {
    expect(interpolate('$A $A ${B}', () => undefined).unset).toEqual(['A', 'B']);
  });
});
