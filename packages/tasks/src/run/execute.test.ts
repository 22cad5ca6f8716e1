import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TaskError } from '../errors.ts';
import { Interrupt } from '../exec/interrupt.ts';
import { Masker } from '../exec/mask.ts';
import { fromOutput, output } from '../model/data-flow.ts';
import { action, type CmdOutcome, call, cmd, type Step } from '../model/steps.ts';
import { defineTask, type Task } from '../model/task.ts';
import { type Recorded, recordingReporter } from '../output/recording.ts';
import type { SummaryRow } from '../output/reporter.ts';
import { executeUnit } from './execute.ts';
import { planOf } from './plan-of.ts';

const CWD = '/tmp';

async function run(steps: () => Step[], opts: { interrupt?: Interrupt; secrets?: string[]; sources?: string[]; deps?: Task[]; jobs?: number } = {}) {
  const task = defineTask({
    name: 't',
    description: '',
    options: z.object({}),
    plan: steps,
    ...(opts.sources ? { sources: opts.sources } : {}),
    ...(opts.deps ? { deps: opts.deps } : {}),
  });
  const { unit } = await planOf(task, {}, { cwd: CWD });
  const reporter = recordingReporter();
  const masker = new Masker();
  masker.add(opts.secrets ?? []);
  const rows: SummaryRow[] = [];
  const interrupt = opts.interrupt ?? new Interrupt(() => {});
  let error: TaskError | undefined;
  try {
    await executeUnit(unit, { reporter, interrupt, masker, verbose: false, interactive: false, rows, cwd: CWD, jobs: opts.jobs });
  } catch (e) {
    error = e as TaskError;
  }
  const logs = reporter.events.filter((e): e is Extract<Recorded, { event: 'log' }> => e.event === 'log').map((e) => e.text);
  const lines = reporter.events.filter((e): e is Extract<Recorded, { event: 'output' }> => e.event === 'output').map((e) => e.line);
  return { error, logs, lines, rows, events: reporter.events };
}

describe('executeUnit', () => {
  it('hands an action’s value and a command’s result to the steps that read them', async () => {
    const n = output<number>('n');
    const r = output<CmdOutcome>('echo');
    const { error, logs } = await run(() => [
      action('make', [], () => 41, { output: n }),
      cmd(['sh', '-c', 'echo out; echo err >&2'], { cwd: CWD, output: r }),
      action(
        'use',
        [],
        (rt) => {
          const res = rt.get(r);
          rt.log(`n=${rt.get(n) + 1} stdout=${res.stdout.trim()} stderr=${res.stderr.trim()} exit=${res.exitCode} timed=${res.durationMs >= 0}`);
        },
        { reads: [n, r] },
      ),
    ]);
    expect(error).toBeUndefined();
    expect(logs).toEqual(['n=42 stdout=out stderr=err exit=0 timed=true']);
  });

  it('refuses an output the step did not declare', async () => {
    const n = output<number>('n');
    const { error } = await run(() => [action('make', [], () => 1, { output: n }), action('use', [], (rt) => rt.log(String(rt.get(n))))]);
    expect(error?.message).toMatch(/step "use" reads output "n" without declaring it/);
  });

  it('after a failure runs only the always-steps, and rethrows the first error with its exit code', async () => {
    const ran: string[] = [];
    const { error, rows } = await run(() => [
      cmd(['sh', '-c', 'echo about to fail; exit 3'], { cwd: CWD }),
      action('skipped', [], () => {
        ran.push('skipped');
      }),
      action(
        'teardown',
        [],
        () => {
          ran.push('teardown');
          throw new Error('teardown failed too');
        },
        { always: true },
      ),
    ]);
    expect(ran).toEqual(['teardown']);
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toMatch(/^command failed with exit code 3: sh -c/);
    expect(error?.details).toContain('about to fail');
    expect(rows).toEqual([expect.objectContaining({ task: 't', outcome: 'failed' })]);
  });

  it('notes why a task ran in its summary row when it succeeds, never beside "failed" (where it would read as the cause)', async () => {
    const ok = await run(() => [cmd(['true'], { cwd: CWD })], { sources: ['*.never'] });
    expect(ok.rows).toEqual([expect.objectContaining({ outcome: 'ok', note: 'ran because no state to compare with' })]);
    expect(ok.logs).toContain('runs: no state to compare with');
    const failed = await run(() => [cmd(['false'], { cwd: CWD })], { sources: ['*.never'] });
    expect(failed.logs).toContain('runs: no state to compare with');
    expect(failed.rows).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    expect(failed.rows[0]?.note).toBeUndefined();
  });

  it('a task whose called task did not run (a dep of it failed) failed for that reason; its row says so, not "skipped"', async () => {
    const failing = defineTask({ name: 'failing', description: '', options: z.object({}), plan: () => [cmd(['false'], { cwd: CWD })] });
    const child = defineTask({ name: 'child', description: '', options: z.object({}), deps: [failing], plan: () => [cmd(['true'], { cwd: CWD })] });
    const { rows, error } = await run(() => [call(child)], { sources: ['*.never'] });
    expect(rows.find((r) => r.task === 't')).toMatchObject({ outcome: 'failed', note: 'failing did not succeed' });
    expect(rows.find((r) => r.task === 'child')).toMatchObject({ outcome: 'skipped', note: 'failing did not succeed' });
    expect(rows.find((r) => r.task === 'failing')).toMatchObject({ outcome: 'failed' });
    expect(error?.message).toMatch(/^command failed with exit code 1: false/);
  });

  it('a task whose called task did not start because a dep of it was only stopped (another task failed) is cancelled, not failed', async () => {
    const quick = defineTask({
      name: 'quick-fail',
      description: '',
      options: z.object({}),
      plan: () => [cmd(['sh', '-c', 'sleep 0.3; exit 3'], { cwd: CWD })],
    });
    const long = defineTask({ name: 'long', description: '', options: z.object({}), plan: () => [cmd(['sleep', '5'], { cwd: CWD })] });
    const child = defineTask({ name: 'child', description: '', options: z.object({}), deps: [long], plan: () => [cmd(['true'], { cwd: CWD })] });
    const caller = defineTask({ name: 'caller', description: '', options: z.object({}), plan: () => [call(child)] });
    const { rows, error } = await run(() => [cmd(['true'], { cwd: CWD })], { deps: [quick, caller], jobs: 2 });
    expect(rows.find((r) => r.task === 'long')).toMatchObject({ outcome: 'cancelled' });
    expect(rows.find((r) => r.task === 'caller')).toMatchObject({ outcome: 'cancelled', note: 'long did not succeed' });
    // The run's error is the real failure, with its exit code.
    expect(error?.exitCode).toBe(3);
  });

  it('a run cancelled while its root waits on a called task ends with the cancel, never an internal error', async () => {
    const interrupt = new Interrupt(() => {});
    const long = defineTask({ name: 'long', description: '', options: z.object({}), plan: () => [cmd(['sleep', '5'], { cwd: CWD })] });
    const child = defineTask({ name: 'child', description: '', options: z.object({}), deps: [long], plan: () => [cmd(['true'], { cwd: CWD })] });
    setTimeout(() => interrupt.cancel('the sources changed'), 300);
    const { error } = await run(() => [call(child)], { interrupt });
    expect(error?.code).toBe('CANCELLED');
    expect(error?.message).toBe('stopped because the sources changed');
  });

  it('an always-step reading an output that was never produced gets undefined from find', async () => {
    const n = output<number>('n');
    const { logs } = await run(() => [
      cmd(['false'], { cwd: CWD }),
      action('make', [], () => 1, { output: n }),
      action('cleanup', [], (rt) => rt.log(`n is ${rt.find(n)}`), { reads: [n], always: true }),
    ]);
    expect(logs).toEqual(['n is undefined']);
  });

  it('a teardown with onlyAfter runs after a failure only when the step it undoes has begun (even if that step failed)', async () => {
    const up = output<number>('up');
    const teardown = (ran: string[]) => action('down', [], () => void ran.push('down'), { always: true, onlyAfter: up });
    const early: string[] = [];
    const before = await run(() => [cmd(['false'], { cwd: CWD }), action('up', [], () => 1, { output: up }), teardown(early)]);
    expect(before.error?.exitCode).toBe(1);
    expect(early).toEqual([]);
    const late: string[] = [];
    const during = await run(() => [
      action(
        'up',
        [],
        () => {
          throw new Error('up failed half-way');
        },
        { output: up },
      ),
      teardown(late),
    ]);
    expect(during.error?.message).toMatch(/up failed half-way/);
    expect(late).toEqual(['down']);
    const fine: string[] = [];
    expect((await run(() => [action('up', [], () => 1, { output: up }), teardown(fine)])).error).toBeUndefined();
    expect(fine).toEqual(['down']);
  });

  it('gives a command the environment an earlier step produced, under its own env, and shows only its own', async () => {
    const env = output<Record<string, string>>('env');
    const { lines, events } = await run(() => [
      action('env', [], () => ({ A: 'from-output', B: 'from-output' }), { output: env }),
      cmd(['sh', '-c', 'echo $A $B'], { cwd: CWD, env: { B: 'own' }, envFrom: env }),
    ]);
    expect(lines).toEqual(['from-output own']);
    expect(events).toContainEqual({ event: 'command', task: 't', text: "B=own sh -c 'echo $A $B'" });
  });

  it('renders an argument from an earlier output at run time', async () => {
    const id = output<string>('backup-id');
    const { lines, events } = await run(() => [
      action('name it', [], () => '20260101T000000Z', { output: id }),
      cmd(['echo', fromOutput(id, (v) => `backups/${v}/files`, '<backup-dir>')], { cwd: CWD }),
    ]);
    expect(lines).toEqual(['backups/20260101T000000Z/files']);
    expect(events).toContainEqual({ event: 'command', task: 't', text: 'echo backups/20260101T000000Z/files' });
  });

  it('masks secrets in the failure it reports', async () => {
    const { error } = await run(() => [cmd(['sh', '-c', 'echo s3cret-value; exit 1', 'x', 's3cret-value'], { cwd: CWD })], { secrets: ['s3cret-value'] });
    expect(error?.message).not.toContain('s3cret-value');
    expect(error?.details.join('\n')).not.toContain('s3cret-value');
    expect(error?.details).toContain('***');
  });

  it('runs a called task inside its caller, once', async () => {
    const inner = defineTask({ name: 'inner', description: '', options: z.object({}), plan: () => [cmd(['echo', 'inner'], { cwd: CWD })] });
    const { lines, rows } = await run(() => [call(inner), call(inner)]);
    expect(lines).toEqual(['inner']);
    expect(rows.map((r) => [r.task, r.depth, r.outcome])).toEqual([
      ['t', 0, 'ok'],
      ['inner', 1, 'ok'],
    ]);
  });

  it('a missing program is a clear error with exit 127', async () => {
    const { error } = await run(() => [cmd(['no-such-program-here'], { cwd: CWD })]);
    expect(error?.exitCode).toBe(127);
    expect(error?.message).toMatch(/cannot run no-such-program-here: no-such-program-here was not found/);
  });
});

describe('interrupts', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s stops the running command, runs teardown and ends with exit %i', async (sig, code) => {
    const interrupt = new Interrupt(() => {});
    const marker = path.join(mkdtempSync(path.join(tmpdir(), 'core-exec-')), sig);
    const started = Date.now();
    const pending = run(
      () => [
        cmd(['sleep', '30'], { cwd: CWD }),
        cmd(['sh', '-c', `echo torn-down > ${marker}`], { cwd: CWD, always: true }),
        action('after', [], () => {
          throw new Error('must not run');
        }),
      ],
      { interrupt },
    );
    setTimeout(() => interrupt.onSignal(sig), 300);
    const { error, rows } = await pending;
    await interrupt.finish();
    expect(error?.exitCode).toBe(code);
    expect(error?.message).toBe(`interrupted by ${sig}; everything started was stopped`);
    expect(readFileSync(marker, 'utf8')).toBe('torn-down\n');
    rmSync(path.dirname(marker), { recursive: true });
    expect(rows[0]?.outcome).toBe('interrupted');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
