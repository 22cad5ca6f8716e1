import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { screenRows } from './screen-rows.ts';

describe('screenRows', () => {
  it('counts whole words to a row, cuts a word longer than a row, and gives wide characters two columns', () => {
    expect(screenRows('', 10)).toBe(1);
    expect(screenRows('aaaa bbbb', 10)).toBe(1);
    // "aaaa bbbb c" is 11 columns: "c" goes to the next row.
    expect(screenRows('aaaa bbbb c', 10)).toBe(2);
    // Word wrap costs rows that a division by the width would not count: 3 rows for 20 characters in 10 columns.
    expect(screenRows('aaaaaa bbbbbb cccccc', 10)).toBe(3);
    expect(screenRows('x'.repeat(25), 10)).toBe(3);
    expect(screenRows('漢'.repeat(60), 100)).toBe(2);
    expect(screenRows('漢'.repeat(50), 100)).toBe(1);
  });

  it('never counts fewer rows than its characters other than spaces need, nor more than two per character', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 1, max: 200 }), (text, columns) => {
        const rows = screenRows(text, columns);
        // A space may end a row unseen; every other character takes at least a column.
        const width = [...text.replaceAll(' ', '')].length;
        expect(rows).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(width / columns)));
        expect(rows).toBeLessThanOrEqual(Math.max(1, 2 * [...text].length));
      }),
    );
  });
});
