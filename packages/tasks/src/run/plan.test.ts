import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatCommand } from '../exec/format-command.ts';
import { action, call, cmd } from '../model/steps.ts';
import { defineTask, type PlanContext } from '../model/task.ts';
import { planLines } from './dry-run.ts';
import { planTask } from './plan.ts';

const ctx: PlanContext = { cwd: '/repo', env: {}, yes: false, interactive: false, verbose: false, envFiles: [], config: {}, addSecrets: () => {} };
const base = defineTask({
  name: 'base',
  description: '',
  options: z.object({ n: z.number().default(1) }),
  run: (o) => [cmd(['echo', `n=${o.n}`], { cwd: '/repo' })],
});
const mid = defineTask({
  name: 'mid',
  description: '',
  options: z.object({}),
  deps: ['base'],
  run: () => [call(base, { n: 2 }), cmd(['echo', 'mid'], { cwd: '/repo/sub' })],
});
const top = defineTask({
  name: 'top',
  description: '',
  options: z.object({}),
  deps: [base, mid],
  run: () => [call(base), action('wait', ['poll something'], async () => {}), cmd(['echo', 'down'], { cwd: '/repo', always: true })],
});

describe('planTask', () => {
  it('expands deps and calls, each (task, options) once, without running anything', async () => {
    const unit = await planTask(top, {}, ctx, async (n) => (n === 'base' ? base : mid));
    expect(unit && planLines(unit, '/repo')).toEqual([
      '# task top',
      '  # task base (n=1)',
      '  echo n=1',
      '  # task mid',
      '    # task base (n=2)',
      '    echo n=2',
      '  (cd /repo/sub && echo mid)',
      '# poll something',
      'echo down # always runs, also after a failure or Ctrl-C',
    ]);
  });
});

describe('formatCommand', () => {
  it('quotes for a POSIX shell', () => {
    expect(formatCommand({ argv: ['docker', 'build', '--label', "a b'c", ''], cwd: '/x', env: { K: 'v w' } })).toBe(
      `K='v w' docker build --label 'a b'\\''c' ''`,
    );
  });
});
