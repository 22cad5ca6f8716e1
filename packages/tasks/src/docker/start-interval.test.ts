import { describe, expect, it } from 'vitest';
import { supportsStartInterval } from './start-interval.ts';

describe('supportsStartInterval', () => {
  it.each([
    ['1.41', 'v2', false],
    ['1.43', 'v2', false],
    ['1.44', 'v2', true],
    ['1.47', 'v2', true],
    ['1.47', 'v1', false],
    ['', 'v2', false],
  ] as const)('API %s with compose %s → %s', (api, kind, expected) => {
    expect(supportsStartInterval(api, kind)).toBe(expected);
  });
});
