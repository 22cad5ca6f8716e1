import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeLayers } from './merge.ts';

describe('mergeLayers', () => {
  it('a later layer wins key by key; objects merge, lists and text are replaced whole', () => {
    const m = mergeLayers([
      { source: '@team/base@1.0.0', config: { image: 'team:1', volumes: ['a', 'b'], composeFiles: { full: ['x.yml'], dev: ['x.yml', 'd.yml'] } } },
      { source: '@team/web@2.0.0', config: { healthPath: '/ready', composeFiles: { full: ['y.yml'] } } },
      { source: 'tasks.config.ts', config: { extends: ['@team/base', '@team/web'], image: 'repo:1', volumes: ['c'] } },
    ]);
    expect(m.config).toEqual({ image: 'repo:1', volumes: ['c'], healthPath: '/ready', composeFiles: { full: ['y.yml'], dev: ['x.yml', 'd.yml'] } });
    expect(m.sources).toEqual({
      image: 'tasks.config.ts',
      volumes: 'tasks.config.ts',
      healthPath: '@team/web@2.0.0',
      'composeFiles.full': '@team/web@2.0.0',
      'composeFiles.dev': '@team/base@1.0.0',
    });
  });

  it('a value that replaces an object (or the other way round) takes its sources with it', () => {
    const m = mergeLayers([
      { source: 'a', config: { env: { X: { description: 'x', default: '1' } } } },
      { source: 'b', config: { env: { X: { default: '2' } } } },
    ]);
    expect(m.config).toEqual({ env: { X: { description: 'x', default: '2' } } });
    expect(m.sources).toEqual({ 'env.X.description': 'a', 'env.X.default': 'b' });
    const flip = mergeLayers([
      { source: 'a', config: { k: { deep: 1 } } },
      { source: 'b', config: { k: 'flat' } },
    ]);
    expect(flip.sources).toEqual({ k: 'b' });
  });

  it('does not change the layers it is given', () => {
    const list = ['a'];
    const layer = { source: 'a', config: { volumes: list, composeFiles: { full: list } } };
    const m = mergeLayers([layer]);
    (m.config.volumes as string[]).push('b');
    expect(layer.config.volumes).toEqual(['a']);
  });

  // Every leaf of the result comes from the last layer that set that key path, and its source says so.
  it('property: each leaf is the value of the last layer that set its path, and its source names that layer', () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 3 }));
    const key = fc.constantFrom('a', 'b', 'c');
    const tree = fc.letrec((tie) => ({ node: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, leaf, tie('node')), { maxKeys: 3 }) })).node;
    const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    /** The value at a path, or undefined when the path stops at a leaf or a missing key. */
    const at = (o: unknown, keys: readonly string[]) => keys.reduce<unknown>((v, k) => (isObject(v) ? (v as Record<string, unknown>)[k] : undefined), o);
    const leaves = (o: unknown, prefix: string[] = []): string[][] =>
      isObject(o) ? Object.entries(o as object).flatMap(([k, v]) => (isObject(v) ? leaves(v, [...prefix, k]) : [[...prefix, k]])) : [];
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 4 }), (configs) => {
        const layers = configs.map((config, i) => ({ source: `L${i}`, config: config as Record<string, unknown> }));
        const m = mergeLayers(layers);
        expect(Object.keys(m.sources).sort()).toEqual(
          leaves(m.config)
            .map((p) => p.join('.'))
            .sort(),
        );
        for (const [dotted, source] of Object.entries(m.sources)) {
          const keys = dotted.split('.');
          const i = Number(source.slice(1));
          expect(at(m.config, keys)).toEqual(at(layers[i]?.config, keys));
          // No later layer set this path, or replaced an object above it with a leaf.
          for (const later of layers.slice(i + 1)) {
            for (let n = 1; n <= keys.length; n++) {
              const v = at(later.config, keys.slice(0, n));
              expect(v === undefined || (n < keys.length && isObject(v))).toBe(true);
            }
          }
        }
      }),
    );
  });
});
