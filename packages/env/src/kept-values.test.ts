import { describe, expect, it } from 'vitest';
import { type KeptEntry, KeptValues } from './kept-values.ts';
import { hashOf } from './text/name-table.ts';

/** Sets `key` as it appears at `keyAt` in `text` (registered as `source`), the way the loader does. */
function set(store: KeptValues, source: number, text: string, key: string, value: string, file: number, line: number, secret?: string): void {
  const keyAt = text.indexOf(`${key}=`);
  const e: KeptEntry = { key, keyAt, value, line, secret };
  store.set(source, e, keyAt, file, hashOf(text, keyAt, keyAt + key.length));
}

describe('KeptValues', () => {
  it('keeps every name without a table, with its file, line and secret; prior values of earlier files stay visible', () => {
    const store = new KeptValues();
    const first = 'A=1\nB=2\n';
    const second = 'A=3\n';
    const [s1, s2] = [store.source(first), store.source(second)];
    set(store, s1, first, 'A', '1', 0, 1);
    set(store, s1, first, 'B', '2', 0, 2, 'B');
    set(store, s2, second, 'A', '3', 1, 1);
    expect(store.latest('A')).toEqual({ value: '3', secret: undefined, file: 1, line: 1 });
    expect(store.before('A', 1)).toEqual({ value: '1', secret: undefined, file: 0, line: 1 });
    expect(store.latest('B')).toEqual({ value: '2', secret: 'B', file: 0, line: 2 });
    expect([...store.entries()].map(([k, v]) => `${k}=${v.value}`)).toEqual(['A=3', 'B=2']);
  });

  it('visible(name, f) is before(name, f), or else the latest value, for every name and file', () => {
    const store = new KeptValues();
    const texts = ['A=1\nB=1\n', 'A=2\nC=2\n', 'B=3\nA=3\n'];
    const sources = texts.map((t) => store.source(t));
    const names = ['A', 'B', 'C', 'D'];
    texts.forEach((text, f) => {
      for (const name of names) {
        for (let g = 0; g < 4; g++) expect(store.visible(name, g)).toEqual(store.before(name, g) ?? store.latest(name));
      }
      for (const line of text.split('\n').filter(Boolean)) {
        const [key, value] = line.split('=') as [string, string];
        set(store, sources[f] as number, text, key, value, f, 1);
      }
    });
    for (const name of names) for (let g = 0; g < 4; g++) expect(store.visible(name, g)).toEqual(store.before(name, g) ?? store.latest(name));
    expect(store.visible('A', 2)).toEqual({ value: '2', secret: undefined, file: 1, line: 1 });
  });
});
