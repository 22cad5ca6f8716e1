/**
 * Steps are what a plan is made of. `cmd` is a process to run (printed exactly by --dry-run); `call` runs another
 * task with typed options; `action` is in-process work (waiting for health, writing a file) that describes itself
 * for --dry-run and reaches processes only through the RunContext.
 */
import type { z } from 'zod';
import type { OptionsSchema, Task } from './task.ts';

export interface CommandSpec {
  argv: readonly string[];
  cwd: string;
  /** Extra environment for the child, on top of the parent's. */
  env?: Readonly<Record<string, string>>;
  /** Kill the process group and exit 124 after this long. */
  timeoutMs?: number;
  /** Data written to the child's stdin (a secret passed this way never appears in argv or in output). */
  input?: string;
}

export interface CmdStep extends CommandSpec {
  kind: 'cmd';
  title?: string;
  /** Runs even after an earlier step failed or the run was interrupted (teardown). */
  always?: boolean;
  /** Exit codes that count as success besides 0. */
  okExitCodes?: readonly number[];
  /** Turns the last lines of a failed run into the likely cause and its fix (added to the error). */
  diagnose?: (lastLines: readonly string[]) => string | undefined;
}

export interface CallStep {
  kind: 'call';
  task: Task<OptionsSchema> | string;
  options: Record<string, unknown>;
  always?: boolean;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What an action may use at run time: processes go through the same single runner as `cmd` steps. */
export interface RunContext {
  cwd: string;
  exec(spec: CommandSpec, opts?: { quiet?: boolean; okExitCodes?: readonly number[] }): Promise<CommandResult>;
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

export interface ActionStep {
  kind: 'action';
  title: string;
  /** What --dry-run prints for this step (one line each, shown as comments). */
  describe: readonly string[];
  run: (rt: RunContext) => Promise<void>;
  always?: boolean;
}

export type Step = CmdStep | CallStep | ActionStep;

export function cmd(argv: readonly string[], opts: Omit<CmdStep, 'kind' | 'argv'>): CmdStep {
  return { kind: 'cmd', argv, ...opts };
}

/** Run another task with typed options (it runs at most once per invocation with the same options). */
export function call<S extends OptionsSchema>(task: Task<S>, options: Partial<z.input<S>> = {}, opts: { always?: boolean } = {}): CallStep {
  return { kind: 'call', task: task as unknown as Task, options: options as Record<string, unknown>, ...opts };
}

export function action(title: string, describe: readonly string[], run: ActionStep['run'], opts: { always?: boolean } = {}): ActionStep {
  return { kind: 'action', title, describe, run, ...opts };
}
