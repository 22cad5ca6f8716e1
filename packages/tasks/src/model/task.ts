/**
 * The task model: plain data. A task declares its options as a zod object (flags, types, defaults and help come
 * from it), the machine facts it reads (`needs`), and a `plan` that returns the steps to execute. Planning is pure:
 * no process, no network, no clock; facts are gathered before and handed in, so the same inputs give the same plan.
 */
import type { z } from 'zod';
import type { RepoConfig } from '../config/schema.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { FACT_NAMES, type FactName, type Facts, type FactsOf } from '../facts/facts.ts';
import { globProblem } from '../fingerprint/glob-match.ts';
import { checkTaskFlags } from './options.ts';
import type { Step } from './steps.ts';
import { TASK_NAME } from './task-name.ts';

export type OptionsSchema = z.ZodObject;

/** What a task sees while planning. Reading files is fine; changing anything is the executor's job. */
export interface PlanContext {
  /** The folder the task acts on (`-C DIR`, else the working directory). */
  cwd: string;
  /** Shell environment (read-only). */
  env: Readonly<Record<string, string | undefined>>;
  /** `--yes` was given. */
  yes: boolean;
  /** A person can answer a question (stdin and stdout are terminals and CI is not set). */
  interactive: boolean;
  verbose: boolean;
  /** The `--env-file` paths given on the command line, absolute, shared by every task of the run. */
  envFiles: readonly string[];
  /** The repo's tasks.config.ts, validated (empty when it has none). */
  config: RepoConfig;
  /** Values to mask in everything printed from now on (secrets read while planning). */
  addSecrets: (values: Iterable<string>) => void;
  /**
   * `--force` was given and this is the task named on the command line (not one of its deps or calls): run it even
   * when it is up to date, and let it redo what it would otherwise keep (go-task #1200's "gentle force").
   */
  force?: boolean;
}

export type Dep = string | Task<OptionsSchema> | { task: Task<OptionsSchema> | string; options?: Record<string, unknown> };

export type PlanFn<S extends OptionsSchema, F> = (options: z.infer<S>, ctx: PlanContext, facts: F) => Step[];

/** Globs relative to the run's folder, fixed or chosen by the options. */
export type Globs<S extends OptionsSchema = OptionsSchema> = readonly string[] | ((options: z.infer<S>) => readonly string[]);

export interface Task<S extends OptionsSchema = OptionsSchema> {
  readonly name: string;
  readonly description: string;
  readonly group: string;
  readonly options: S;
  /** Option keys that may also be given as positional arguments, in order. */
  readonly positional: readonly string[];
  /** Tasks that run before this one (each at most once per invocation). */
  readonly deps: readonly Dep[];
  /** Usage examples for --help. */
  readonly examples: readonly string[];
  /** The machine facts the plan reads; gathered (once per run) before it is called. */
  readonly needs: readonly FactName[];
  readonly plan: PlanFn<S, Facts>;
  /** When true for the given options, the run's product is data on stdout (JSON, SARIF): progress goes to stderr. */
  readonly dataOutput?: (options: z.infer<S>) => boolean;
  /** Inputs: when they and the options (and `env`) are unchanged since the last success, the task is up to date. */
  readonly sources?: Globs<S>;
  /** What the task makes: must still be there, unchanged, for the task to be up to date. */
  readonly generates?: Globs<S>;
  /** Environment variables the result depends on (their values count, by hash). */
  readonly env?: readonly string[];
}

export interface TaskDefinition<S extends OptionsSchema, N extends FactName> {
  name: string;
  description: string;
  group?: string;
  options: S;
  positional?: readonly (keyof z.infer<S> & string)[];
  deps?: readonly Dep[];
  examples?: readonly string[];
  needs?: readonly N[];
  /** Returns the steps; synchronous and pure (see the module comment). */
  plan?: PlanFn<S, FactsOf<N>>;
  /** @deprecated The earlier name of `plan`, still accepted so existing task files keep working. */
  run?: PlanFn<S, FactsOf<N>>;
  dataOutput?: (options: z.infer<S>) => boolean;
  /** Globs of the task's inputs: with them it is skipped as "up to date" when nothing changed (`--force` runs it). */
  sources?: Globs<S>;
  /** Globs of what it makes (checked with `sources`). */
  generates?: Globs<S>;
  /** Environment variables whose values its result depends on (with `sources`). */
  env?: readonly string[];
}

export { TASK_NAME };

/** Identity-style helper: checks the declaration, fills defaults and keeps the option types for `plan`. */
export function defineTask<S extends OptionsSchema, const N extends FactName = never>(def: TaskDefinition<S, N>): Task<S> {
  const bad = (why: string) => new TaskError(ErrorCode.badTaskFile, `defineTask(${JSON.stringify(def.name)}): ${why}`);
  if (typeof def.name !== 'string' || !TASK_NAME.test(def.name)) {
    throw bad('a task name is a letter or digit followed by up to 63 letters, digits, "-", "_", "." or ":" (no spaces, no leading "-").');
  }
  const plan = def.plan ?? def.run;
  if (typeof plan !== 'function') throw bad('give `plan: (options, ctx, facts) => [steps]`.');
  for (const n of def.needs ?? []) {
    if (!FACT_NAMES.includes(n)) throw bad(`needs names no fact "${String(n)}"; facts are ${FACT_NAMES.join(', ')}.`);
  }
  const flagProblem = checkTaskFlags(def.options, def.positional ?? []);
  if (flagProblem) throw bad(flagProblem);
  if ((def.generates || def.env) && !def.sources) throw bad('generates and env count only with sources: declare the sources too.');
  for (const [what, globs] of [
    ['sources', def.sources],
    ['generates', def.generates],
  ] as const) {
    for (const g of Array.isArray(globs) ? (globs as readonly unknown[]) : []) {
      const problem = typeof g === 'string' ? globProblem(g) : 'it is not a string';
      if (problem) throw bad(`${what} glob ${JSON.stringify(g)} cannot be used: ${problem}.`);
    }
  }
  for (const name of def.env ?? [])
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw bad(`env names a variable ${JSON.stringify(name)}; give variable names only.`);
  return {
    name: def.name,
    description: def.description,
    group: def.group ?? 'tasks',
    options: def.options,
    positional: def.positional ?? [],
    deps: def.deps ?? [],
    examples: def.examples ?? [],
    needs: def.needs ?? [],
    plan: plan as PlanFn<S, Facts>,
    dataOutput: def.dataOutput,
    ...(def.sources ? { sources: def.sources } : {}),
    ...(def.generates ? { generates: def.generates } : {}),
    ...(def.env ? { env: def.env } : {}),
  };
}

export { isTask } from './is-task.ts';
