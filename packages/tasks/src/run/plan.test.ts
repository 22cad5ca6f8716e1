import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorCode, ExitCode, TaskError, usageError } from '../errors.ts';
import { formatCommand } from '../exec/format-command.ts';
import { fakeFacts } from '../facts/fake.ts';
import { fixedFacts } from '../facts/gather.ts';
import { fromOutput, output } from '../model/data-flow.ts';
import { action, call, cmd, parallel } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { planTask } from './plan.ts';
import { planContext, planOf } from './plan-of.ts';

const base = defineTask({
  name: 'base',
  description: '',
  options: z.object({ n: z.number().default(1) }),
  plan: (o) => [cmd(['echo', `n=${o.n}`], { cwd: '/repo' })],
});
const mid = defineTask({
  name: 'mid',
  description: '',
  options: z.object({}),
  deps: ['base'],
  plan: () => [call(base, { n: 2 }), cmd(['echo', 'mid'], { cwd: '/repo/sub' })],
});
const top = defineTask({
  name: 'top',
  description: '',
  options: z.object({}),
  deps: [base, mid],
  plan: () => [call(base), action('wait', ['poll something'], async () => {}), cmd(['echo', 'down'], { cwd: '/repo', always: true })],
});

describe('planTask', () => {
  it('expands deps and calls, each (task, options) once, without running anything', async () => {
    const { lines } = await planOf(top, {}, { cwd: '/repo', tasks: [base, mid] });
    expect(lines).toEqual([
      '# task top',
      '  # at once, before top: base(n=1), mid',
      '  # task base (n=1)',
      '  echo n=1',
      '  # task mid',
      '    # task base(n=1): listed above (runs once)',
      '    # task base (n=2)',
      '    echo n=2',
      '  (cd /repo/sub && echo mid)',
      '# poll something',
      'echo down # always runs, also after a failure or Ctrl-C',
    ]);
  });

  it('hands each task exactly the facts it declared', async () => {
    const seen: string[][] = [];
    const t = defineTask({
      name: 'facts',
      description: '',
      options: z.object({}),
      needs: ['git', 'clock'],
      plan: (_o, _c, facts) => {
        seen.push(Object.keys(facts).sort());
        return [cmd(['echo', facts.git.revision ?? '', facts.clock.now.toISOString()], { cwd: '/repo' })];
      },
    });
    const { lines } = await planOf(t, {}, { cwd: '/repo', facts: fakeFacts({ git: { revision: 'abc' } }) });
    expect(seen).toEqual([['clock', 'git']]);
    expect(lines[1]).toBe('echo abc 2026-01-01T00:00:00.000Z');
  });

  it('shows the data flow, and refuses a read that no earlier step produces', async () => {
    const built = output<number>('built');
    const flow = defineTask({
      name: 'flow',
      description: '',
      options: z.object({ wrong: z.boolean().default(false) }),
      plan: (o) => {
        const make = action('make', ['make a number'], () => 1, { output: built });
        const use = action('use', ['use the number'], (rt) => rt.log(String(rt.get(built))), { reads: [built] });
        return o.wrong ? [use, make] : [make, use];
      },
    });
    expect((await planOf(flow, {}, { cwd: '/repo' })).lines).toEqual([
      '# task flow (wrong=false)',
      '# make a number # -> built',
      '# use the number # <- built',
    ]);
    await expect(planOf(flow, { wrong: true }, { cwd: '/repo' })).rejects.toThrow(/step "use" reads output "built", which no earlier step produces/);
  });

  it('shows a run-time argument as its placeholder, and counts it as a read', async () => {
    const id = output<string>('backup-id');
    const t = defineTask({
      name: 'args',
      description: '',
      options: z.object({}),
      plan: () => [
        action('name it', ['pick an id'], () => 'x', { output: id }),
        cmd(['tar', '-cf', fromOutput(id, (v) => `${v}.tar`, '<backup-id>.tar')], { cwd: '/repo' }),
      ],
    });
    expect((await planOf(t, {}, { cwd: '/repo' })).lines).toEqual(['# task args', '# pick an id # -> backup-id', 'tar -cf <backup-id>.tar # <- backup-id']);
    const orphan = defineTask({ name: 'orphan', description: '', options: z.object({}), plan: () => [cmd(['tar', fromOutput(id)], { cwd: '/repo' })] });
    await expect(planOf(orphan, {}, { cwd: '/repo' })).rejects.toThrow(/reads output "backup-id", which no earlier step produces/);
  });

  it('refuses a plan that returns a Promise (plans are synchronous)', async () => {
    const lazy = defineTask({ name: 'lazy', description: '', options: z.object({}), plan: (async () => []) as never });
    await expect(planOf(lazy, {}, { cwd: '/repo' })).rejects.toThrow(/plan returned a Promise, not a list of steps/);
  });
});

describe('formatCommand', () => {
  it('quotes for a POSIX shell', () => {
    expect(formatCommand({ argv: ['docker', 'build', '--label', "a b'c", ''], env: { K: 'v w' } })).toBe(`K='v w' docker build --label 'a b'\\''c' ''`);
  });
});

describe('names a task gives that are no task (issue 9)', () => {
  const planner = {
    ctx: planContext({ cwd: '/repo' }),
    resolve: async (name: string) => {
      if (name === 'base') return base;
      throw usageError(ErrorCode.unknownTask, `unknown task "${name}". Did you mean base? Run \`task --list\` to see every task.`);
    },
    sourceOf: (name: string) => (name === 'gen' ? 'tasks/gen.ts' : undefined),
    facts: fixedFacts(fakeFacts()),
  };

  it('a dep or a call by an unknown name names the task and its file, exit 1 (the command line was fine)', async () => {
    const gen = defineTask({ name: 'gen', description: '', options: z.object({}), deps: ['bsae'], plan: () => [] });
    const error = await planTask(gen, {}, planner).catch((e: unknown) => e as TaskError);
    expect(error).toBeInstanceOf(TaskError);
    expect(error).toMatchObject({ code: ErrorCode.unknownTask, exitCode: ExitCode.failure });
    expect((error as TaskError).message).toBe(
      'task gen (tasks/gen.ts) depends on "bsae", which is no task. Did you mean base? Fix the name there; `task --list` shows every task.',
    );
    const caller = defineTask({ name: 'gen', description: '', options: z.object({}), plan: () => [parallel([{ ...call(base), task: 'nope' } as never])] });
    await expect(planTask(caller, {}, planner)).rejects.toThrow(/^task gen \(tasks\/gen\.ts\) calls "nope", which is no task\./);
  });

  it("a plan that throws is the task's error with its place; ours (no frame outside the package) stays internal", async () => {
    const boom = defineTask({
      name: 'boom',
      description: '',
      options: z.object({}),
      plan: () => {
        throw new Error('kaput');
      },
    });
    // This test file is inside the package, so the frame is ours: the error stays as it was.
    await expect(planTask(boom, {}, planner)).rejects.toThrow(/^kaput$/);
    const odd = defineTask({
      name: 'odd',
      description: '',
      options: z.object({}),
      plan: () => {
        throw 'x';
      },
    });
    await expect(planTask(odd, {}, planner)).rejects.toThrow(/^task odd's plan failed: it threw 'x'/);
  });
});
