import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TaskError } from '../errors.ts';
import { Interrupt } from '../exec/interrupt.ts';
import { Masker } from '../exec/mask.ts';
import { call, cmd, parallel, type Step } from '../model/steps.ts';
import { type Dep, defineTask, type Task } from '../model/task.ts';
import { recordingReporter } from '../output/recording.ts';
import type { SummaryRow } from '../output/reporter.ts';
import { executeUnit } from './execute.ts';
import { planOf } from './plan-of.ts';

const dir = () => mkdtempSync(path.join(tmpdir(), 'graph-run-'));

/** A step that records when it really started and ended (ns since the epoch), around `seconds` of sleep. */
function timed(log: string, id: string, seconds: number): Step {
  return cmd(['sh', '-c', `echo "${id} start $(date +%s%N)" >> ${log}; sleep ${seconds}; echo "${id} end $(date +%s%N)" >> ${log}`], { cwd: '/tmp' });
}

/**
 * A step that records its start, then waits (up to 15 s) until the log holds `starts` start lines in all (`starts` is
 * shell arithmetic over $n, this step's rank among the starts: fixed by the order of the appends, whenever it is
 * read), then records its end: steps that must run at the same time meet there whatever the machine's load, and a
 * runner that ran them one after another fails the wait instead of passing by luck.
 */
function meeting(log: string, id: string, starts: string): Step {
  const count = `$(grep -c ' start ' ${log})`;
  return cmd(
    [
      'sh',
      '-c',
      `echo "${id} start $(date +%s%N)" >> ${log}; n=$(grep ' start ' ${log} | grep -n '^${id} start' | cut -d: -f1); want=$((${starts})); i=0; ` +
        `while [ ${count} -lt $want ]; do i=$((i+1)); [ $i -gt 300 ] && { echo "${id}: only ${count} of $want started" >&2; exit 9; }; sleep 0.05; done; ` +
        `echo "${id} end $(date +%s%N)" >> ${log}`,
    ],
    { cwd: '/tmp' },
  );
}

function task(name: string, plan: () => Step[], deps: Dep[] = []): Task {
  return defineTask({ name, description: name, options: z.object({}), deps, plan });
}

async function run(root: Task, tasks: Task[], opts: { jobs?: number; keepGoing?: boolean } = {}) {
  const { unit } = await planOf(root, {}, { cwd: '/tmp', tasks });
  const reporter = recordingReporter();
  const rows: SummaryRow[] = [];
  const interrupt = new Interrupt(() => {});
  let error: TaskError | undefined;
  try {
    await executeUnit(unit, { reporter, interrupt, masker: new Masker(), verbose: false, interactive: false, rows, cwd: '/tmp', ...opts });
  } catch (e) {
    error = e as TaskError;
  }
  await interrupt.finish();
  return { error, rows, events: reporter.events };
}

/** The most steps that were running at one instant, from the times they wrote. */
function maxOverlap(log: string): number {
  const events = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([, kind, ns]) => ({ at: BigInt(ns as string), delta: kind === 'start' ? 1 : -1 }))
    // At one instant an end comes before a start: touching intervals do not overlap.
    .sort((a, b) => (a.at === b.at ? a.delta - b.delta : a.at < b.at ? -1 : 1));
  let now = 0;
  let max = 0;
  for (const e of events) {
    now += e.delta;
    max = Math.max(max, now);
  }
  return max;
}

function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('the task graph runs concurrently, within -j', () => {
  it.each([1, 2, 3])('six independent deps with -j %i overlap exactly that much (measured from their own timestamps)', async (jobs) => {
    const log = path.join(dir(), 'times');
    // Each waits for the rest of its batch of `jobs` (the last batch is whatever is left of six).
    const leaves = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) =>
      task(n, () => [meeting(log, n, `(n + ${jobs} - 1) / ${jobs} * ${jobs} > 6 ? 6 : (n + ${jobs} - 1) / ${jobs} * ${jobs}`)]),
    );
    const root = task('all', () => [], leaves);
    const { error, rows } = await run(root, leaves, { jobs });
    expect(error).toBeUndefined();
    expect(maxOverlap(log)).toBe(jobs);
    expect(rows.map((r) => r.outcome)).toEqual(Array(7).fill('ok'));
  });

  it('a parallel() step runs its branches at once, each branch in order', async () => {
    const log = path.join(dir(), 'times');
    // x ends only once both of the other branch's steps have started: a runner that ran the branches one after the
    // other fails x's wait.
    const root = task('par', () => [parallel(meeting(log, 'x', '3'), [timed(log, 'y1', 0.1), timed(log, 'y2', 0.1)]), timed(log, 'after', 0)]);
    const { error } = await run(root, [], { jobs: 4 });
    expect(error).toBeUndefined();
    expect(maxOverlap(log)).toBe(2);
    const order = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ').slice(0, 2).join(' '));
    expect(order.indexOf('y1 end')).toBeLessThan(order.indexOf('y2 start'));
    // The step after a parallel step waits for every branch.
    expect(order.indexOf('after start')).toBeGreaterThan(order.indexOf('x end'));
  });

  it('runs a task that two tasks depend on once, before both', async () => {
    const d = dir();
    const shared = task('shared', () => [cmd(['sh', '-c', `echo ran >> ${d}/shared`], { cwd: d })]);
    const left = task('left', () => [cmd(['sh', '-c', `test -s ${d}/shared`], { cwd: d })], [shared]);
    const right = task('right', () => [call(shared), cmd(['sh', '-c', `test -s ${d}/shared`], { cwd: d })], [shared]);
    const { error, rows } = await run(
      task('top', () => [], [left, right]),
      [shared, left, right],
      { jobs: 3 },
    );
    expect(error).toBeUndefined();
    expect(readFileSync(path.join(d, 'shared'), 'utf8')).toBe('ran\n');
    expect(rows.map((r) => r.task)).toEqual(['top', 'left', 'shared', 'right']);
  });

  it('names a cycle instead of running it', async () => {
    const a: Task = defineTask({ name: 'a', description: '', options: z.object({}), deps: ['b'], plan: () => [] });
    const b: Task = defineTask({ name: 'b', description: '', options: z.object({}), deps: ['a'], plan: () => [] });
    await expect(planOf(a, {}, { cwd: '/tmp', tasks: [a, b] })).rejects.toThrow(/task a depends on itself: a -> b -> a/);
  });
});

describe('failures', () => {
  it('the first failure stops running siblings and their children, runs their teardown, and is the run’s error', async () => {
    const d = dir();
    const sibling = task('sibling', () => [
      // A child of the step's shell, in its process group, that would outlive a kill of the shell alone.
      cmd(['sh', '-c', `sleep 30 & echo $! > ${d}/child.pid; wait`], { cwd: d }),
      cmd(['sh', '-c', `echo done > ${d}/teardown`], { cwd: d, always: true }),
      cmd(['sh', '-c', `echo no > ${d}/after`], { cwd: d }),
    ]);
    const failing = task('failing', () => [cmd(['sh', '-c', `while [ ! -s ${d}/child.pid ]; do sleep 0.05; done; exit 7`], { cwd: d })]);
    const later = task('later', () => [cmd(['sh', '-c', `echo no > ${d}/later`], { cwd: d })], [failing]);
    const started = Date.now();
    const { error, rows } = await run(
      task('top', () => [], [sibling, later]),
      [sibling, failing, later],
      { jobs: 4 },
    );
    expect(error?.exitCode).toBe(7);
    expect(error?.message).toMatch(/exit code 7/);
    const child = Number(readFileSync(path.join(d, 'child.pid'), 'utf8'));
    expect(alive(child)).toBe(false);
    expect(readFileSync(path.join(d, 'teardown'), 'utf8')).toBe('done\n');
    expect(existsSync(path.join(d, 'after'))).toBe(false);
    expect(existsSync(path.join(d, 'later'))).toBe(false);
    expect(Object.fromEntries(rows.map((r) => [r.task, r.outcome]))).toEqual({ top: 'skipped', sibling: 'cancelled', later: 'skipped', failing: 'failed' });
    // Stopped, not waited for: well within the 30 s sleep.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('with keep-going, the branches that do not depend on the failure finish, and the exit code is the failure’s', async () => {
    const d = dir();
    const failing = task('failing', () => [cmd(['sh', '-c', 'exit 5'], { cwd: d })]);
    const slow = task('slow', () => [cmd(['sh', '-c', `sleep 0.5; echo finished > ${d}/slow`], { cwd: d })]);
    const after = task('after-slow', () => [cmd(['sh', '-c', `echo finished > ${d}/after`], { cwd: d })], [slow]);
    const needsFail = task('needs-failing', () => [cmd(['sh', '-c', `echo no > ${d}/needs`], { cwd: d })], [failing]);
    const { error, rows } = await run(
      task('top', () => [], [needsFail, after]),
      [failing, slow, after, needsFail],
      { jobs: 4, keepGoing: true },
    );
    expect(error?.exitCode).toBe(5);
    expect(readFileSync(path.join(d, 'slow'), 'utf8')).toBe('finished\n');
    expect(readFileSync(path.join(d, 'after'), 'utf8')).toBe('finished\n');
    expect(existsSync(path.join(d, 'needs'))).toBe(false);
    expect(Object.fromEntries(rows.map((r) => [r.task, r.outcome]))).toMatchObject({
      failing: 'failed',
      'needs-failing': 'skipped',
      slow: 'ok',
      'after-slow': 'ok',
      top: 'skipped',
    });
  });
});
