/**
 * Planning: turns the requested task into a tree of units (a task with validated options and its steps), deps
 * and calls expanded, each (task, options) pair at most once per invocation. Nothing is executed here, so the
 * whole plan exists before the first command runs, and --dry-run only has to print it.
 */
import { ErrorCode, TaskError } from '../errors.ts';
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

export async function planTask(
  task: Task,
  options: Record<string, unknown>,
  ctx: PlanContext,
  resolve: ResolveTask,
  seen = new Set<string>(),
): Promise<Unit | null> {
  const key = `${task.name} ${stableJson(options)}`;
  if (seen.has(key)) return null;
  seen.add(key);
  const steps: PlannedStep[] = [];
  for (const dep of task.deps) {
    const { target, opts } = await depTarget(dep, resolve);
    const unit = await planTask(target, validateOptions(target, opts), ctx, resolve, seen);
    if (unit) steps.push({ kind: 'unit', unit });
  }
  for (const step of await task.run(options as never, ctx)) {
    if (step.kind !== 'call') {
      steps.push(step);
      continue;
    }
    const target = typeof step.task === 'string' ? await resolve(step.task) : step.task;
    const unit = await planTask(target, validateOptions(target, step.options), ctx, resolve, seen);
    if (unit) steps.push({ kind: 'unit', unit, always: step.always });
  }
  return { task, options, steps };
}

async function depTarget(dep: Dep, resolve: ResolveTask): Promise<{ target: Task; opts: Record<string, unknown> }> {
  if (typeof dep === 'string') return { target: await resolve(dep), opts: {} };
  if ('run' in dep) return { target: dep, opts: {} };
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
