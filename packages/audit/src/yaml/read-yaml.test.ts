import { describe, expect, it } from 'vitest';
import { aliasBomb, mergeBomb } from '../test-helpers/bombs.ts';
import { positionOf, readYaml } from './read-yaml.ts';

describe('readYaml', () => {
  it('rejects the alias bomb in milliseconds, naming the file, the line and the fix', () => {
    const text = aliasBomb();
    expect(text.length).toBeLessThan(600);
    const r = readYaml(text, 'docker-compose.yml');
    expect(r.data).toBeUndefined();
    expect(r.problems).toEqual([
      expect.objectContaining({ file: 'docker-compose.yml', kind: 'limit', message: expect.stringMatching(/expand the document past 100,000 values/) }),
    ]);
    expect(r.problems[0]?.fix).toMatch(/alias bomb/);
    expect(r.problems[0]?.line).toBeGreaterThan(1);
  });

  it('rejects a merge-key bomb, which expands through <<: rather than aliases in sequences', () => {
    const r = readYaml(mergeBomb(), 'docker-compose.yml');
    expect(r.problems.map((p) => p.kind)).toEqual(['limit']);
  });

  it('reads a file where 200 services share one <<: *defaults (the yaml package rejects it at its default alias limit)', () => {
    const services = Array.from({ length: 200 }, (_, i) => `  svc${i}:\n    <<: *defaults\n    image: team/svc${i}:1.${i}\n`).join('');
    const r = readYaml(`x-defaults: &defaults\n  restart: unless-stopped\n  read_only: true\nservices:\n${services}`, 'c.yml');
    expect(r.problems).toEqual([]);
    const data = r.data as { services: Record<string, Record<string, unknown>> };
    expect(data.services.svc199).toEqual({ image: 'team/svc199:1.199', restart: 'unless-stopped', read_only: true });
    // A merged key keeps the line it was written at: the anchor's.
    expect(r.locate(['services', 'svc7', 'restart'])).toMatchObject({ line: 2, depth: 3 });
    expect(r.locate(['services', 'svc7', 'image'])).toMatchObject({ line: 4 + 7 * 3 + 3, depth: 3 });
  });

  it('keeps explicit keys over merged ones, and earlier merge sources over later ones', () => {
    const r = readYaml('a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  x: 3\n', 'f.yml');
    expect((r.data as Record<string, unknown>).c).toEqual({ x: 3, y: 1, z: 2 });
  });

  it('reports a key set twice, a too-deep document, a too-large one and a syntax error, each with its line', () => {
    expect(readYaml('services:\n  app: {}\n  app: {}\n', 'f.yml').problems[0]).toMatchObject({
      kind: 'duplicate',
      line: 3,
      message: 'keys must be unique: "app" is set twice (first at line 2)',
    });
    expect(readYaml(`${'['.repeat(100)}${']'.repeat(100)}`, 'f.yml').problems[0]).toMatchObject({ kind: 'limit', message: expect.stringMatching(/deeper/) });
    expect(readYaml(`a: "${'x'.repeat(200_000)}"\n`, 'f.yml').problems[0]).toMatchObject({ kind: 'limit', line: 1, message: expect.stringMatching(/196 KiB/) });
    expect(readYaml('services:\n  app:\n   image: [x\n', 'f.yml').problems[0]).toMatchObject({ kind: 'syntax', file: 'f.yml' });
    expect(readYaml('a: *nowhere\n', 'f.yml').problems[0]?.message).toMatch(/\*nowhere names no anchor/);
  });

  it('keeps a key named __proto__ a plain key', () => {
    const data = readYaml('__proto__: {polluted: true}\nb: {__proto__: 1}\n', 'f.yml').data as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['__proto__', 'b']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });

  it('records where each sequence item and mapping key is', () => {
    const r = readYaml('services:\n  app:\n    environment:\n      - A=1\n      - B=2\n', 'f.yml');
    const env = (r.data as { services: { app: { environment: unknown[] } } }).services.app.environment;
    expect(positionOf(env, '1')).toMatchObject({ line: 5, col: 9 });
  });
});
