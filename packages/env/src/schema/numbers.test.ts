import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkEnv } from '../check.ts';
import { EnvError } from '../errors.ts';
import { loadEnv } from '../load.ts';
import { assistantSpec } from './assistant-spec.ts';
import { decimalInteger, isPlainDecimal, numberShape } from './numbers.ts';
import { defineSpec } from './spec.ts';
import { validateEnv } from './validate.ts';

describe('numbers are plain decimal', () => {
  it.each(['0x50', '1e3', '+8000', '0080', ' 80', '80 ', '80.0', '8_000', '0b1', 'Infinity', '-0', '', '٨٠'])('APP_PORT rejects %j', (v) => {
    expect(decimalInteger(1, 65535).safeParse(v).success).toBe(false);
    expect(isPlainDecimal(v, true)).toBe(false);
  });

  it.each([
    ['80', 80],
    ['65535', 65535],
    ['1', 1],
  ])('APP_PORT takes %j', (v, n) => {
    expect(decimalInteger(1, 65535).parse(v)).toBe(n);
  });

  it('knows which schemas read numbers, and whether integers only', () => {
    expect(numberShape(z.coerce.number().int().min(1))).toEqual({ integer: true });
    expect(numberShape(z.coerce.number().optional())).toEqual({ integer: false });
    expect(numberShape(decimalInteger(1, 2))).toEqual({ integer: true });
    expect(numberShape(z.string())).toBeUndefined();
    expect(isPlainDecimal('0.5', false) && isPlainDecimal('-2.25', false) && !isPlainDecimal('.5', false) && !isPlainDecimal('1.', false)).toBe(true);
  });

  it('checks every numeric variable of a spec the same way, with the reason in the message', () => {
    const spec = defineSpec({ ...assistantSpec, WORKERS: { description: 'w', schema: z.coerce.number().int().min(1), expected: 'a positive integer' } });
    const r = validateEnv(spec, {
      ...loadEnv({ cwd: '/', shell: {} }),
      values: { ADMIN_REINGEST_KEY: 'k'.repeat(32), APP_PORT: '0x50', WORKERS: '1e3' },
      origins: {},
    });
    expect(r.issues.map((i) => i.message)).toEqual([
      'APP_PORT is "0x50", expected an integer from 1 to 65535 written in plain decimal digits (no sign, leading zero, exponent or hex)',
      'WORKERS is "1e3", expected a positive integer written in plain decimal digits (no sign, leading zero, exponent or hex)',
    ]);
  });

  it('gives the typed value as a number', () => {
    expect(() => checkEnv(assistantSpec, { cwd: '/', shell: { ADMIN_REINGEST_KEY: 'k'.repeat(32), APP_PORT: '+8000' } })).toThrow(EnvError);
    expect(checkEnv(assistantSpec, { cwd: '/', shell: { ADMIN_REINGEST_KEY: 'k'.repeat(32), APP_PORT: '8080' } }).typed.APP_PORT).toBe(8080);
  });
});
