import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TASK_FILES } from './builtin-files.ts';
import { builtinTasks } from './builtin-list.ts';
import { completionShape } from './completion-shape.ts';
import { builtinsDir } from './inputs.ts';

const root = () => mkdtempSync(path.join(tmpdir(), 'builtins-unit-'));
/** A start this far ahead finds every file of the library settled, however recently it was edited. */
const later = () => Date.now() + 60_000;
const listFile = (dir: string) => path.join(dir, 'builtins', readdirSync(path.join(dir, 'builtins'))[0] as string);

describe('the cached list of built-in tasks', () => {
  it('imports the built-ins once; the next start gets the same names, files and completion shapes without their modules', async () => {
    const dir = root();
    const first = await builtinTasks(dir, later());
    expect(first.problems).toEqual([]);
    expect(first.objects.size).toBe(first.refs.length);
    expect(first.refs.length).toBeGreaterThanOrEqual(BUILTIN_TASK_FILES.length);
    for (const [name, task] of first.objects) expect(first.shapes.get(name)).toEqual(completionShape(task));
    const second = await builtinTasks(dir, later());
    expect(second.objects.size).toBe(0);
    expect(second.refs).toEqual(first.refs);
    expect(second.shapes).toEqual(first.shapes);
    expect(second.refs.every((r) => r.origin === 'builtin' && path.dirname(r.file) === builtinsDir)).toBe(true);
  });

  it('is not written while a file of the library is younger than the settle time, nor without a cache folder', async () => {
    const dir = root();
    await builtinTasks(dir, 0);
    expect(readdirSync(dir)).toEqual([]);
    expect((await builtinTasks(undefined, later())).objects.size).toBeGreaterThan(0);
  });

  it('is not trusted when it names a module outside the built-ins folder, a library file changed since, or a field is not of its type', async () => {
    for (const spoil of [
      (list: { refs: { file: string }[] }) => {
        (list.refs[0] as { file: string }).file = '/tmp/evil/docker-build.ts';
      },
      (list: { stamps: [string, string | null][] }) => {
        (list.stamps[0] as [string, string | null])[1] = '1:1';
      },
      // Well-formed JSON of the wrong shape: every folder would read it, so it must never become an internal error.
      (list: { stamps: unknown[] }) => {
        list.stamps = [];
      },
      (list: { shapes: Record<string, unknown> }) => {
        list.shapes['docker-build'] = { flags: 'zz', positional: 5 };
      },
      (list: { refs: { group: unknown }[] }) => {
        (list.refs[1] as { group: unknown }).group = null;
      },
    ]) {
      const dir = root();
      await builtinTasks(dir, later());
      const file = listFile(dir);
      const list = JSON.parse(readFileSync(file, 'utf8'));
      spoil(list);
      writeFileSync(file, JSON.stringify(list), { mode: 0o600 });
      const again = await builtinTasks(dir, 0);
      // Imported afresh (the spoilt list was not used), and every module named is in the built-ins folder.
      expect(again.objects.size).toBe(again.refs.length);
      expect(again.refs.every((r) => path.dirname(r.file) === builtinsDir)).toBe(true);
    }
  });
});
