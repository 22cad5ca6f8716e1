/**
 * Planning: turns the requested task into a graph of units (a task with validated options and its steps), each
 * (task, options) pair one unit per invocation however many tasks depend on it or call it. A unit's `deps` run
 * before its steps, concurrently with each other; its steps run in order (a `parallel` step's branches
 * concurrently). Facts a task needs are gathered (once per run) before its plan is called; the plan itself is pure.
 * Nothing is executed here, so the whole plan exists before the first command runs, and --dry-run only prints it.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import type { FactSource } from '../facts/gather.ts';
import { validateOptions } from '../model/options.ts';
import type { ActionStep, CmdStep, Step } from '../model/steps.ts';
import type { Dep, PlanContext, Task } from '../model/task.ts';
import { type CheckStep, check } from '../model/up-to-date.ts';
import { checkFlow } from './flow.ts';
import { assignIds } from './graph.ts';
import { taskCodeError } from './task-code-error.ts';

export type PlannedStep =
  | CmdStep
  | ActionStep
  | CheckStep
  | { kind: 'unit'; unit: Unit; always?: boolean }
  | { kind: 'parallel'; branches: PlannedStep[][]; always?: boolean };

export interface Unit {
  /** Unique in the run: the task name, with the options that tell two units of one task apart. */
  id: string;
  /** The task name and its options, as stable JSON: what "once per run" compares. */
  key: string;
  task: Task;
  options: Record<string, unknown>;
  /** Units that end before this one's steps start; they run concurrently with each other. */
  deps: Unit[];
  steps: PlannedStep[];
}

export type ResolveTask = (name: string) => Promise<Task>;

export interface Planner {
  ctx: PlanContext;
  resolve: ResolveTask;
  facts: FactSource;
  /** Where a task is defined (tasks/gen.ts), to name the file whose deps or calls name a task that is not there. */
  sourceOf?: (name: string) => string | undefined;
}

interface Planning {
  units: Map<string, Unit>;
  /** Keys being planned, outermost first: a key met again here is a cycle. */
  stack: string[];
}

/** The plan of `task` and everything it depends on or calls, its data flow checked and every unit named. */
export async function planTask(task: Task, options: Record<string, unknown>, planner: Planner): Promise<Unit> {
  const planning: Planning = { units: new Map(), stack: [] };
  const unit = await planUnit(task, options, planner, planning, true);
  checkFlow(unit);
  assignIds([...planning.units.values()]);
  return unit;
}

async function planUnit(task: Task, options: Record<string, unknown>, planner: Planner, planning: Planning, root = false): Promise<Unit> {
  const key = `${task.name} ${stableJson(options)}`;
  if (planning.stack.includes(key)) throw cycle(planning.stack, key);
  const known = planning.units.get(key);
  if (known) return known;
  const unit: Unit = { id: task.name, key, task, options, deps: [], steps: [] };
  planning.units.set(key, unit);
  planning.stack.push(key);
  for (const dep of task.deps) {
    const { target, opts } = await depTarget(dep, named(task, 'depends on', planner));
    const planned = await planUnit(target, validateOptions(target, opts), planner, planning);
    if (!unit.deps.includes(planned)) unit.deps.push(planned);
  }
  const facts = await planner.facts.gather(task.needs);
  // --force belongs to the task that was named, not to what it depends on (go-task #1200).
  const ctx = { ...planner.ctx, force: root && planner.ctx.force === true };
  let planned: unknown;
  try {
    planned = task.plan(options as never, ctx, facts as never);
  } catch (error) {
    throw taskCodeError(error, `task ${task.name}'s plan`, ctx.cwd);
  }
  if (!Array.isArray(planned)) {
    throw new TaskError(
      ErrorCode.badPlan,
      `task ${task.name}: plan returned ${planned instanceof Promise ? 'a Promise' : typeof planned}, not a list of steps. Plans are synchronous: declare the facts the task needs (needs: [...]) instead of probing while planning.`,
    );
  }
  let declared: CheckStep | undefined;
  try {
    declared = sourcesCheck(task, options, ctx);
  } catch (error) {
    throw taskCodeError(error, `task ${task.name}'s sources`, ctx.cwd);
  }
  unit.steps = [...(declared ? [declared] : []), ...(await planSteps(task, planned as Step[], planner, planning))];
  planning.stack.pop();
  return unit;
}

async function planSteps(caller: Task, steps: readonly Step[], planner: Planner, planning: Planning): Promise<PlannedStep[]> {
  const out: PlannedStep[] = [];
  for (const step of steps) {
    if (step.kind === 'call') {
      const target = typeof step.task === 'string' ? await named(caller, 'calls', planner)(step.task) : step.task;
      out.push({ kind: 'unit', unit: await planUnit(target, validateOptions(target, step.options), planner, planning), always: step.always });
    } else if (step.kind === 'parallel') {
      const branches: PlannedStep[][] = [];
      for (const b of step.branches) branches.push(await planSteps(caller, b, planner, planning));
      out.push({ kind: 'parallel', branches });
    } else out.push(step);
  }
  return out;
}

/** The check a task's `sources` declaration stands for: sources, generates, every option and the named variables. */
function sourcesCheck(task: Task, options: Record<string, unknown>, ctx: PlanContext): CheckStep | undefined {
  if (!task.sources) return undefined;
  const globs = (g: Task['sources']) => (typeof g === 'function' ? [...g(options as never)] : [...(g ?? [])]);
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) values[`option ${k}`] = stableJson(v);
  // An unset variable differs from an empty one.
  for (const name of task.env ?? []) values[`env ${name}`] = ctx.env[name] === undefined ? '\u0000unset' : String(ctx.env[name]);
  return check(
    `${task.name}: up to date?`,
    { dir: ctx.cwd, sources: globs(task.sources), generates: globs(task.generates), values },
    { kind: 'state', key: task.name },
  );
}

/**
 * planner.resolve for the names a task's deps or calls give: a name that is no task is that task's error, so it is
 * named with its file (exit 1: the command line was fine), not as if it had been typed.
 */
function named(task: Task, how: string, planner: Planner): ResolveTask {
  return async (name) => {
    try {
      return await planner.resolve(name);
    } catch (error) {
      if (!(error instanceof TaskError) || error.code !== ErrorCode.unknownTask) throw error;
      const source = planner.sourceOf?.(task.name);
      const rest = error.message.replace(/^unknown task "[^"]*"\.\s*/, '').replace(/\s*Run `task --list` to see every task\.$/, '');
      return Promise.reject(
        new TaskError(
          ErrorCode.unknownTask,
          `task ${task.name}${source ? ` (${source})` : ''} ${how} "${name}", which is no task.${rest ? ` ${rest}` : ''} Fix the name there; \`task --list\` shows every task.`,
          { cause: error },
        ),
      );
    }
  };
}

function cycle(stack: readonly string[], key: string): TaskError {
  const names = [...stack.slice(stack.indexOf(key)), key].map((k) => k.slice(0, k.indexOf(' ')));
  return new TaskError(
    ErrorCode.badPlan,
    `task ${names[0]} depends on itself: ${names.join(' -> ')}. Remove one of these deps or calls; a task runs at most once per run.`,
  );
}

async function depTarget(dep: Dep, resolve: ResolveTask): Promise<{ target: Task; opts: Record<string, unknown> }> {
  if (typeof dep === 'string') return { target: await resolve(dep), opts: {} };
  if ('plan' in dep) return { target: dep, opts: {} };
  const target = typeof dep.task === 'string' ? await resolve(dep.task) : dep.task;
  if (!target) throw new TaskError(ErrorCode.unknownTask, 'a dependency names no task');
  return { target, opts: dep.options ?? {} };
}

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
