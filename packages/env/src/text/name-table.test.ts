import { describe, expect, it } from 'vitest';
import { hashOf, NameTable } from './name-table.ts';

describe('NameTable', () => {
  it('finds names by content, whichever text they are a piece of, and keeps a number per name', () => {
    const t = new NameTable();
    const src = t.source('A=1\nBB=2\nA=3\n');
    const a = t.add(src, 0, 1, 1);
    expect(t.added).toBe(true);
    expect(t.add(src, 9, 10, 3)).toBe(a);
    expect(t.added).toBe(false);
    t.setValue(a, 3);
    expect([t.find('A'), t.find('BB'), t.find('x=BB', 2), t.value(a), t.name(a)]).toEqual([a, -1, -1, 3, 'A']);
  });

  it('grows and still finds every name', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `KEY_${i}`);
    const t = new NameTable();
    const src = t.source(names.join('\n'));
    let at = 0;
    for (const n of names) {
      t.add(src, at, at + n.length, at);
      at += n.length + 1;
    }
    expect(t.size).toBe(5000);
    expect(names.every((n) => t.find(n) >= 0)).toBe(true);
    expect(t.find('KEY_5000')).toBe(-1);
  });

  it('takes a hash the caller computed once for several tables, and finds the same entries as without it', () => {
    const text = 'A=1\nBB=2\nA=3\nCCC=4\n';
    const [one, two] = [new NameTable(), new NameTable()];
    const [s1, s2] = [one.source(text), two.source(text)];
    for (const [from, to] of [
      [0, 1],
      [4, 6],
      [9, 10],
      [13, 16],
    ] as const) {
      const h = hashOf(text, from, to);
      expect(two.add(s2, from, to, from, h)).toBe(one.add(s1, from, to, from));
      expect(two.added).toBe(one.added);
      expect(two.find(text, from, to, h)).toBe(one.find(text, from, to));
    }
    expect([two.size, two.find('BB'), two.find('CCC'), two.find('B')]).toEqual([3, 1, 2, -1]);
    expect(hashOf('x=BB', 2, 4)).toBe(hashOf('BB', 0, 2));
  });
});
