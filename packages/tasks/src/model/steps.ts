/**
 * Steps are what a plan is made of. `cmd` is a process to run (printed exactly by --dry-run); `call` runs another
 * task with typed options; `action` is in-process work (waiting for health, writing a file) that describes itself
 * for --dry-run and reaches processes only through the RunContext. Steps hand values on through typed outputs
 * (model/data-flow.ts), never through variables a plan shares with its closures.
 */
import type { z } from 'zod';
import type { Output, OutputArg } from './data-flow.ts';
import type { LineViewFactory } from './line-view.ts';
import type { OptionsSchema, Task } from './task.ts';
import type { CheckStep } from './up-to-date.ts';

export interface CommandSpec {
  argv: readonly string[];
  cwd: string;
  /** Extra environment for the child, on top of the parent's. */
  env?: Readonly<Record<string, string>>;
  /** Kill the process group and exit 124 after this long. */
  timeoutMs?: number;
  /** Data written to the child's stdin (a secret passed this way never appears in argv or in output). */
  input?: string;
  /**
   * The command gets our terminal (an interactive shell): stdin, stdout and stderr are inherited, and it stays in our
   * process group so it can read the keyboard; the terminal hands it Ctrl-C itself. Its output is not captured.
   */
  terminal?: boolean;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What a `cmd` step's output receives: the result and how long the command took. */
export interface CmdOutcome extends CommandResult {
  durationMs: number;
}

interface StepFlow {
  /** Runs even after an earlier step failed or the run was interrupted (teardown). */
  always?: boolean;
  /**
   * Runs only when the step that produces this output has begun: a teardown undoes only what its run set up. A
   * failure before it (a bad .env, a daemon that does not answer) must not take down what another command started,
   * such as the docker-run stack of the same compose project that docker-dev's `down` would remove.
   */
  onlyAfter?: Output<unknown>;
  /** Outputs of earlier steps this step uses (the only ones `rt.get` gives it). */
  reads?: readonly Output<unknown>[];
}

/** A command-line argument: text, or an earlier step's output rendered at run time (`fromOutput`). */
export type Arg = string | OutputArg;

export interface CmdStep extends Omit<CommandSpec, 'argv'>, StepFlow {
  kind: 'cmd';
  argv: readonly Arg[];
  title?: string;
  /** Exit codes that count as success besides 0. */
  okExitCodes?: readonly number[];
  /** Turns the last lines of a failed run into the likely cause and its fix (added to the error). */
  diagnose?: (lastLines: readonly string[]) => string | undefined;
  /** Receives the command's result and duration. */
  output?: Output<CmdOutcome>;
  /** Environment produced by an earlier step, under `env` (which wins); e.g. the values env-check validated. */
  envFrom?: Output<Readonly<Record<string, string>>>;
  /** Shows the output through a view: a header its lines keep current, and only the lines worth showing. */
  view?: LineViewFactory;
}

export interface CallStep {
  kind: 'call';
  task: Task<OptionsSchema> | string;
  options: Record<string, unknown>;
  always?: boolean;
}

/** What an action may use at run time: processes go through the same single runner as `cmd` steps. */
export interface RunContext {
  /** The folder the run acts on (`-C DIR`, else where the command was started). */
  cwd: string;
  exec(spec: CommandSpec, opts?: { quiet?: boolean; okExitCodes?: readonly number[] }): Promise<CommandResult>;
  /** An output this step declared in `reads`; throws when no earlier step produced it. */
  get<T>(output: Output<T>): T;
  /** Like `get`, but undefined when the producing step did not run (for `always` steps). */
  find<T>(output: Output<T>): T | undefined;
  /** A line for the person watching, shown under the current task. */
  log(text: string): void;
  /** The task's product (a report, JSON): printed as is on stdout, never prefixed or indented. */
  result(text: string): void;
  /** Aborted on Ctrl-C or a timeout. */
  signal: AbortSignal;
  verbose: boolean;
  /** Output goes to a person's terminal (progress may update often). */
  interactive: boolean;
}

export interface ActionStep<T = unknown> extends StepFlow {
  kind: 'action';
  title: string;
  /** What --dry-run prints for this step (one line each, shown as comments): exactly what it will do. */
  describe: readonly string[];
  run: (rt: RunContext) => Promise<T> | T;
  /** Receives the value `run` returns. */
  output?: Output<T>;
}

/** Branches of one task that run concurrently (each branch's steps in order); the step ends when all branches have. */
export interface ParallelStep {
  kind: 'parallel';
  branches: readonly (readonly Step[])[];
}

export type Step = CmdStep | CallStep | ActionStep | ParallelStep | CheckStep;

export function cmd(argv: readonly Arg[], opts: Omit<CmdStep, 'kind' | 'argv'>): CmdStep {
  // Everything the command takes from earlier steps is a read: the planner checks it and --dry-run shows it.
  const taken = [...(opts.envFrom ? [opts.envFrom] : []), ...argv.flatMap((a) => (typeof a === 'string' ? [] : [a.from]))];
  const reads = [...new Set([...(opts.reads ?? []), ...taken])];
  return { kind: 'cmd', argv, ...opts, ...(reads.length > 0 ? { reads } : {}) };
}

/** Run another task with typed options (it runs at most once per invocation with the same options). */
export function call<S extends OptionsSchema>(task: Task<S>, options: Partial<z.input<S>> = {}, opts: { always?: boolean } = {}): CallStep {
  return { kind: 'call', task: task as unknown as Task, options: options as Record<string, unknown>, ...opts };
}

export interface ActionOptions<T> extends StepFlow {
  output?: Output<T>;
}

export function action<T = void>(title: string, describe: readonly string[], run: ActionStep<T>['run'], opts: ActionOptions<T> = {}): ActionStep {
  return { kind: 'action', title, describe, run, ...opts } as ActionStep;
}

/**
 * Runs its branches concurrently (within the run's `-j` cap): `parallel(cmd(a), [cmd(b1), cmd(b2)])` runs `a` beside
 * the sequence `b1; b2`. The next step starts when every branch has ended; a failing branch stops the others.
 */
export function parallel(...branches: readonly (Step | readonly Step[])[]): ParallelStep {
  return { kind: 'parallel', branches: branches.map((b) => (Array.isArray(b) ? [...b] : [b as Step])) };
}
