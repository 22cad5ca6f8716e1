/**
 * Numbers in .env files are plain decimal. `Number()` (and so `z.coerce.number()`) also takes `0x50`, `1e3`, `+8000`,
 * ` 80` and `0080`, which compose passes on verbatim to programs that read them differently or not at all.
 */
import { z } from 'zod';

const INTEGER = /^(0|-?[1-9][0-9]*)$/;
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** A schema for an integer from `min` to `max` written in plain decimal digits; the typed value is a number. */
export function decimalInteger(min: number, max: number) {
  return z.string().regex(INTEGER).transform(Number).pipe(z.number().int().min(min).max(max));
}

/**
 * When a schema reads numbers (a zod number, coerced or not, possibly optional, defaulted, or the output of a pipe
 * such as decimalInteger's): whether it takes integers only.
 */
export function numberShape(schema: z.ZodType, depth = 0): { integer: boolean } | undefined {
  if (depth > 8) return undefined;
  const def = schema._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType };
  if (def.type === 'number') {
    const n = schema as unknown as { isInt?: boolean; format?: string | null };
    return { integer: n.isInt === true || /int/.test(n.format ?? '') };
  }
  if (def.type === 'pipe') return (def.out && numberShape(def.out, depth + 1)) ?? (def.in && numberShape(def.in, depth + 1));
  return def.innerType ? numberShape(def.innerType, depth + 1) : undefined;
}

/** Whether `text` is a number as a person writes it: decimal digits, a `-` for negatives, no leading zeros. */
export function isPlainDecimal(text: string, integer: boolean): boolean {
  return (integer ? INTEGER : DECIMAL).test(text) && !/^-0(\.0+)?$/.test(text);
}
