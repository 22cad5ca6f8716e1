import { describe, expect, it } from 'vitest';
import { InterpolationError, interpolate, interpolateTracked } from './interpolate.ts';

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

describe('interpolateTracked: where secrets go', () => {
  const sources: Record<string, { value: string; secret?: string }> = {
    KEY: { value: 's3cret-value', secret: 'ADMIN_REINGEST_KEY' },
    HOST: { value: 'db' },
  };
  const tracked = (s: string) => interpolateTracked(s, (k) => sources[k]);

  it.each([
    ['${KEY}', 'ADMIN_REINGEST_KEY'],
    ['postgres://u:${KEY}@${HOST}/x', 'ADMIN_REINGEST_KEY'],
    ['${NOPE:-$KEY}', 'ADMIN_REINGEST_KEY'],
    ['${KEY:?}', 'ADMIN_REINGEST_KEY'],
    ['${KEY:+set}', undefined],
    ['$HOST', undefined],
    ['$$KEY', undefined],
  ])('%s derives from %s', (input, secret) => {
    expect(tracked(input).secret).toBe(secret);
  });

  it('never puts a secret or the value text into an error message; the broken part is a separate, escaped fragment', () => {
    const err = (s: string) => {
      try {
        tracked(s);
      } catch (e) {
        return e as InterpolationError;
      }
      throw new Error('no error');
    };
    const missing = err('${NOPE:?${KEY}}');
    expect(missing.message).toBe('required variable NOPE is missing a value: (a message derived from secret ADMIN_REINGEST_KEY, not shown)');
    const open = err('s3cret-${oops');
    expect(open.message).toBe('a "${" has no closing "}"');
    expect(open.fragment).toBe('"${oops"');
    expect(err('${\x1b[2J}').fragment).toBe('"${\\x1b[2J}"');
  });

  it('caps nesting, so deep defaults cost linear work and no stack', () => {
    const deep = `${'${A:-'.repeat(10_000)}x${'}'.repeat(10_000)}`;
    expect(() => tracked(deep)).toThrow(/nested more than 16 levels/);
    expect(tracked(`${'${A:-'.repeat(16)}x${'}'.repeat(16)}`).value).toBe('x');
  });
});
