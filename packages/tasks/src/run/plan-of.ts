/**
 * Plans a task the way the CLI does, with fake facts and no engine, for unit tests of plans and golden dry-runs:
 * `planOf(dockerBuild, { target: 'development' }, { cwd, facts: fakeFacts() }).lines`.
 */

import type { Facts } from '../facts/facts.ts';
import { fakeFacts } from '../facts/fake.ts';
import { fixedFacts } from '../facts/gather.ts';
import { validateOptions } from '../model/options.ts';
import type { PlanContext, Task } from '../model/task.ts';
import { type PlanRow, planLines, planRows } from './dry-run.ts';
import { planTask, type Unit } from './plan.ts';

export interface PlanOf {
  unit: Unit;
  /** The --dry-run text (without its first comment line). */
  lines: string[];
  rows: PlanRow[];
  /** Every value the plan registered for masking. */
  secrets: string[];
}

/** A PlanContext for tests: no shell environment, no --yes, not interactive. */
export function planContext(over: Partial<PlanContext> & { cwd: string }, secrets: string[] = []): PlanContext {
  return { env: {}, yes: false, interactive: false, verbose: false, envFiles: [], config: {}, addSecrets: (v) => secrets.push(...v), ...over };
}

export async function planOf(
  task: Task,
  options: Record<string, unknown>,
  over: Partial<PlanContext> & { cwd: string; facts?: Facts; tasks?: readonly Task[] },
): Promise<PlanOf> {
  const secrets: string[] = [];
  const { facts = fakeFacts(), tasks = [], ...rest } = over;
  const ctx = planContext(rest, secrets);
  const resolve = async (name: string) => {
    const found = tasks.find((t) => t.name === name);
    if (!found) throw new Error(`planOf: task ${name} is called by name; pass it in { tasks }`);
    return found;
  };
  const unit = await planTask(task, validateOptions(task, options), { ctx, resolve, facts: fixedFacts(facts) });
  if (!unit) throw new Error('planOf: nothing planned');
  return { unit, lines: planLines(unit, ctx.cwd), rows: planRows(unit), secrets };
}
