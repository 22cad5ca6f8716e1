/**
 * Planning: turns the requested task into a tree of units (a task with validated options and its steps), deps
 * and calls expanded, each (task, options) pair at most once per invocation. Facts a task needs are gathered
 * (once per run) before its plan is called; the plan itself is pure. Nothing is executed here, so the whole plan
 * exists before the first command runs, and --dry-run only has to print it.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import type { FactSource } from '../facts/gather.ts';
import type { Output } from '../model/data-flow.ts';
import { validateOptions } from '../model/options.ts';
import type { ActionStep, CmdStep } from '../model/steps.ts';
import type { Dep, PlanContext, Task } from '../model/task.ts';

export type PlannedStep = CmdStep | ActionStep | { kind: 'unit'; unit: Unit; always?: boolean };

export interface Unit {
  task: Task;
  options: Record<string, unknown>;
  steps: PlannedStep[];
}

export type ResolveTask = (name: string) => Promise<Task>;

export interface Planner {
  ctx: PlanContext;
  resolve: ResolveTask;
  facts: FactSource;
}

/** The plan of `task`, its data flow checked; null when this (task, options) pair is already planned. */
export async function planTask(task: Task, options: Record<string, unknown>, planner: Planner): Promise<Unit | null> {
  const unit = await planUnit(task, options, planner, new Set());
  if (unit) checkFlow(unit);
  return unit;
}

async function planUnit(task: Task, options: Record<string, unknown>, planner: Planner, seen: Set<string>): Promise<Unit | null> {
  const key = `${task.name} ${stableJson(options)}`;
  if (seen.has(key)) return null;
  seen.add(key);
  const steps: PlannedStep[] = [];
  for (const dep of task.deps) {
    const { target, opts } = await depTarget(dep, planner.resolve);
    const unit = await planUnit(target, validateOptions(target, opts), planner, seen);
    if (unit) steps.push({ kind: 'unit', unit });
  }
  const facts = await planner.facts.gather(task.needs);
  const planned = task.plan(options as never, planner.ctx, facts as never) as unknown;
  if (!Array.isArray(planned)) {
    throw new TaskError(
      ErrorCode.badPlan,
      `task ${task.name}: plan returned ${planned instanceof Promise ? 'a Promise' : typeof planned}, not a list of steps. Plans are synchronous: declare the facts the task needs (needs: [...]) instead of probing while planning.`,
    );
  }
  for (const step of planned as PlannedStep[] | { kind: 'call' }[]) {
    if (step.kind !== 'call') {
      steps.push(step as PlannedStep);
      continue;
    }
    const call = step as unknown as { task: Task | string; options: Record<string, unknown>; always?: boolean };
    const target = typeof call.task === 'string' ? await planner.resolve(call.task) : call.task;
    const unit = await planUnit(target, validateOptions(target, call.options), planner, seen);
    if (unit) steps.push({ kind: 'unit', unit, always: call.always });
  }
  return { task, options, steps };
}

/** Every output a step reads must be produced by an earlier step of the run, in plan order. */
function checkFlow(root: Unit): void {
  const produced = new Set<Output<unknown>>();
  const walk = (unit: Unit) => {
    for (const step of unit.steps) {
      if (step.kind === 'unit') {
        walk(step.unit);
        continue;
      }
      for (const read of step.reads ?? []) {
        if (!produced.has(read)) {
          const title = step.kind === 'action' ? step.title : String(step.argv[0] ?? '');
          throw new TaskError(
            ErrorCode.badPlan,
            `task ${unit.task.name}: step "${title}" reads output "${read.name}", which no earlier step produces. Produce it first (a step with { output: ${read.name} }), or drop the read.`,
          );
        }
      }
      if (step.output) produced.add(step.output as Output<unknown>);
    }
  };
  walk(root);
}

async function depTarget(dep: Dep, resolve: ResolveTask): Promise<{ target: Task; opts: Record<string, unknown> }> {
  if (typeof dep === 'string') return { target: await resolve(dep), opts: {} };
  if ('plan' in dep) return { target: dep, opts: {} };
  const target = typeof dep.task === 'string' ? await resolve(dep.task) : dep.task;
  if (!target) throw new TaskError(ErrorCode.unknownTask, 'a dependency names no task');
  return { target, opts: dep.options ?? {} };
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
