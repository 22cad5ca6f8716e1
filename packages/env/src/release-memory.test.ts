import { describe, expect, it } from 'vitest';
import { release, resized } from './release-memory.ts';

describe('release-memory', () => {
  it('resized keeps the elements, zeroes the new ones and empties the old array', () => {
    const a = Int32Array.from([1, -2, 3]);
    const b = resized(a, 6);
    expect([...b]).toEqual([1, -2, 3, 0, 0, 0]);
    expect(a.length).toBe(0);
    const f = resized(Float64Array.from([0.5, Number.POSITIVE_INFINITY]), 3);
    expect([...f]).toEqual([0.5, Number.POSITIVE_INFINITY, 0]);
  });

  it('release empties the buffer and every view of it', () => {
    const bytes = Buffer.allocUnsafeSlow(8).fill(7);
    const view = bytes.subarray(2, 4);
    release(view);
    expect(bytes.length).toBe(0);
    expect(bytes.buffer.byteLength).toBe(0);
  });
});
