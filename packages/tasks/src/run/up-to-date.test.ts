import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TaskError } from '../errors.ts';
import { Interrupt } from '../exec/interrupt.ts';
import { Masker } from '../exec/mask.ts';
import { RACY_MS } from '../fingerprint/hash-files.ts';
import { openState } from '../fingerprint/state.ts';
import { cmd } from '../model/steps.ts';
import { defineTask, type Task } from '../model/task.ts';
import { recordingReporter } from '../output/recording.ts';
import type { SummaryRow } from '../output/reporter.ts';
import { executeUnit } from './execute.ts';
import { planOf } from './plan-of.ts';
import { graphStatus } from './status.ts';

/** A repo with sources, and a task that counts its runs and writes out/result.txt. */
function repo() {
  const dir = mkdtempSync(path.join(tmpdir(), 'graph-fresh-'));
  mkdirSync(path.join(dir, 'src', 'deep'), { recursive: true });
  writeFileSync(path.join(dir, 'src', 'a.txt'), 'a\n');
  writeFileSync(path.join(dir, 'src', 'deep', 'b.txt'), 'b\n');
  writeFileSync(path.join(dir, 'notes.md'), 'not a source\n');
  // Old enough that the stat cache trusts what it hashed (the racy rule), as files are between two real runs.
  const old = (Date.now() - 10 * RACY_MS) / 1000;
  for (const f of ['src/a.txt', 'src/deep/b.txt', 'notes.md']) utimesSync(path.join(dir, f), old, old);
  const build = defineTask({
    name: 'build',
    description: '',
    options: z.object({ mode: z.enum(['fast', 'full']).default('fast') }),
    sources: ['src/**/*.txt'],
    generates: ['out/result.txt'],
    env: ['BUILD_FLAVOUR'],
    plan: (_o, ctx) => [cmd(['sh', '-ec', 'mkdir -p out; cat src/*.txt src/deep/*.txt > out/result.txt; echo run >> runs'], { cwd: ctx.cwd })],
  });
  return { dir, build };
}

async function run(dir: string, task: Task, opts: { options?: Record<string, unknown>; force?: boolean; env?: Record<string, string> } = {}) {
  const { unit } = await planOf(task, opts.options ?? {}, { cwd: dir, env: opts.env ?? {}, force: opts.force });
  const rows: SummaryRow[] = [];
  const interrupt = new Interrupt(() => {});
  let error: TaskError | undefined;
  try {
    const state = openState(dir);
    await executeUnit(unit, {
      reporter: recordingReporter(),
      interrupt,
      masker: new Masker(),
      verbose: false,
      interactive: false,
      rows,
      cwd: dir,
      state,
      force: opts.force,
    });
  } catch (e) {
    error = e as TaskError;
  }
  return { error, row: rows[0] as SummaryRow, runs: readFileSync(path.join(dir, 'runs'), 'utf8').split('\n').length - 1 };
}

describe('up to date', () => {
  it('skips a task whose sources, options and variables are unchanged; a touch is no change, an edit is', async () => {
    const { dir, build } = repo();
    expect((await run(dir, build)).row).toMatchObject({ outcome: 'ok', note: 'ran because out/result.txt not there' });
    expect(await run(dir, build)).toMatchObject({ runs: 1, row: { outcome: 'up-to-date' } });
    // touch: new times, same content.
    const now = Date.now() / 1000;
    utimesSync(path.join(dir, 'src', 'a.txt'), now, now);
    expect(await run(dir, build)).toMatchObject({ runs: 1, row: { outcome: 'up-to-date' } });
    // A file that is not a source changes nothing either.
    appendFileSync(path.join(dir, 'notes.md'), 'more\n');
    expect(await run(dir, build)).toMatchObject({ runs: 1, row: { outcome: 'up-to-date' } });
    appendFileSync(path.join(dir, 'src', 'deep', 'b.txt'), 'changed\n');
    expect(await run(dir, build)).toMatchObject({ runs: 2, row: { outcome: 'ok', note: 'ran because src/deep/b.txt changed' } });
    expect(await run(dir, build)).toMatchObject({ runs: 2, row: { outcome: 'up-to-date' } });
    writeFileSync(path.join(dir, 'src', 'new.txt'), 'new\n');
    expect(await run(dir, build)).toMatchObject({ runs: 3, row: { note: 'ran because src/new.txt added' } });
  });

  it('reruns when an option or a declared variable changes, or a generated file is gone or edited', async () => {
    const { dir, build } = repo();
    await run(dir, build);
    expect(await run(dir, build, { options: { mode: 'full' } })).toMatchObject({ runs: 2, row: { note: 'ran because option mode changed' } });
    expect(await run(dir, build, { options: { mode: 'full' }, env: { BUILD_FLAVOUR: 'x' } })).toMatchObject({
      runs: 3,
      row: { note: 'ran because env BUILD_FLAVOUR changed' },
    });
    const opts = { options: { mode: 'full' }, env: { BUILD_FLAVOUR: 'x' } };
    expect(await run(dir, build, opts)).toMatchObject({ runs: 3, row: { outcome: 'up-to-date' } });
    rmSync(path.join(dir, 'out', 'result.txt'));
    expect(await run(dir, build, opts)).toMatchObject({ runs: 4, row: { note: 'ran because out/result.txt not there' } });
    writeFileSync(path.join(dir, 'out', 'result.txt'), 'edited by hand\n');
    expect(await run(dir, build, opts)).toMatchObject({ runs: 5, row: { note: 'ran because out/result.txt changed' } });
  });

  it('--force runs it anyway; a failed run is never remembered as a success', async () => {
    const { dir, build } = repo();
    await run(dir, build);
    expect(await run(dir, build, { force: true })).toMatchObject({ runs: 2, row: { outcome: 'ok', note: 'ran because --force' } });
    appendFileSync(path.join(dir, 'src', 'a.txt'), 'x\n');
    rmSync(path.join(dir, 'out'), { recursive: true, force: true });
    writeFileSync(path.join(dir, 'out'), 'blocks mkdir');
    expect((await run(dir, build)).row.outcome).toBe('failed');
    rmSync(path.join(dir, 'out'));
    expect((await run(dir, build)).row).toMatchObject({ outcome: 'ok', note: 'ran because out/result.txt not there' });
  });

  it('--status says for each task whether it would run and why, and changes nothing', async () => {
    const { dir, build } = repo();
    const plain = defineTask({ name: 'plain', description: '', options: z.object({}), plan: () => [] });
    const top = defineTask({ name: 'top', description: '', options: z.object({}), deps: [build, plain], plan: () => [] });
    const status = async () => {
      const { unit } = await planOf(top, {}, { cwd: dir, tasks: [build, plain] });
      return graphStatus(unit, { state: openState(dir), force: false, interrupt: new Interrupt(() => {}), masker: new Masker() });
    };
    expect(await status()).toEqual([
      { id: 'top', task: 'top', run: true, why: 'declares no sources: runs every time' },
      { id: 'build', task: 'build', run: true, why: 'out/result.txt not there' },
      { id: 'plain', task: 'plain', run: true, why: 'declares no sources: runs every time' },
    ]);
    await run(dir, build);
    const before = statSync(path.join(dir, 'out', 'result.txt')).mtimeMs;
    expect((await status())[1]).toEqual({ id: 'build', task: 'build', run: false, why: 'nothing changed' });
    appendFileSync(path.join(dir, 'src', 'a.txt'), 'x\n');
    expect((await status())[1]).toEqual({ id: 'build', task: 'build', run: true, why: 'src/a.txt changed' });
    expect(statSync(path.join(dir, 'out', 'result.txt')).mtimeMs).toBe(before);
  });
});
