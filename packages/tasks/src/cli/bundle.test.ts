import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleRoot, freshBundle, useBundle } from './bundle.cjs';

const BUILDER = path.join(import.meta.dirname, 'bundle-build.cjs');

/** A workspace of one package, in the shape the builder expects (packages/tasks with src/cli/main.ts and built-ins). */
function workspace(): { packageDir: string; root: string } {
  const top = mkdtempSync(path.join(tmpdir(), 'cli-bundle-'));
  const packageDir = path.join(top, 'packages', 'tasks');
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'x', type: 'module', exports: { '.': './src/index.ts' } }),
    'src/index.ts': "export { where } from './where.ts';\n",
    'src/where.ts': 'export const where: string = import.meta.url;\n',
    'src/cli/main.ts': "import { where } from '../where.ts';\nexport const main = (): string => where;\n",
    'src/builtins/one.ts': "export { where } from '../where.ts';\n",
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(packageDir, f)), { recursive: true });
    writeFileSync(path.join(packageDir, f), text);
  }
  return { packageDir, root: bundleRoot(packageDir) };
}

function build(w: { packageDir: string; root: string }): void {
  mkdirSync(w.root, { recursive: true });
  const r = spawnSync(process.execPath, [BUILDER, w.packageDir, w.root], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

describe('the CLI bundle', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  const fresh = () => {
    const w = workspace();
    made.push(path.dirname(path.dirname(w.packageDir)));
    build(w);
    expect(freshBundle(w.root)).toBeDefined();
    return w;
  };

  it('is one module graph whose modules keep their source URL, with every exported file an entry', async () => {
    const w = fresh();
    const current = freshBundle(w.root);
    const entries = Object.keys(current?.entries ?? {}).map((f) => path.relative(w.packageDir, f));
    expect(entries.sort()).toEqual(['src/builtins/one.ts', 'src/cli/main.ts', 'src/index.ts']);
    const main = path.join(w.root, current?.dir ?? '', current?.entries[path.join(w.packageDir, 'src', 'cli', 'main.ts')] ?? '');
    const mod = (await import(pathToFileURL(main).href)) as { main: () => string };
    expect(mod.main()).toBe(pathToFileURL(path.join(w.packageDir, 'src', 'where.ts')).href);
  });

  it('is stale once a source it was made from changes, even with the same size', () => {
    const w = fresh();
    const file = path.join(w.packageDir, 'src', 'where.ts');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(freshBundle(w.root)).toBeUndefined();
  });

  it('is stale once a file is added next to its sources (a new built-in)', () => {
    const w = fresh();
    writeFileSync(path.join(w.packageDir, 'src', 'builtins', 'two.ts'), 'export const two = 2;\n');
    expect(freshBundle(w.root)).toBeUndefined();
  });

  it('is stale once a file changes size', () => {
    const w = fresh();
    appendFileSync(path.join(w.packageDir, 'src', 'index.ts'), '// more\n');
    expect(freshBundle(w.root)).toBeUndefined();
  });

  it('is not used when its record names a folder or an entry file outside the bundle folder, or is not of the shape written', () => {
    for (const spoil of [
      (c: { dir: string }) => Object.assign(c, { dir: '../../../../tmp/elsewhere' }),
      (c: { entries: Record<string, string> }) => {
        const first = Object.keys(c.entries)[0] as string;
        c.entries[first] = '../../evil.mjs';
      },
      (c: { entries?: unknown }) => {
        delete c.entries;
      },
      (c: { stamps: unknown[] }) => {
        c.stamps = [null];
      },
    ]) {
      const w = fresh();
      const file = path.join(w.root, 'current.json');
      const record = JSON.parse(readFileSync(file, 'utf8'));
      spoil(record);
      writeFileSync(file, JSON.stringify(record));
      // A start with such a record runs the sources: no bundle, and no crash before the CLI's own code.
      expect(useBundle(w.packageDir, {})).toBeUndefined();
    }
  });
});
