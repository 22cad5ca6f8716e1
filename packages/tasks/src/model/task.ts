/**
 * The task model: plain data. A task declares its options as a zod object (flags, types, defaults and help come
 * from it) and a `run` that *plans*: it returns the steps to execute and executes nothing itself.
 */
import type { z } from 'zod';
import type { RepoConfig } from '../config/schema.ts';
import type { Step } from './steps.ts';

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
  /** The `--env-file` paths given on the command line, shared by every task of the run. */
  envFiles: readonly string[];
  /** The repo's tasks.config.ts, validated (empty when it has none). */
  config: RepoConfig;
  /** Values to mask in everything printed from now on (secrets read while planning). */
  addSecrets: (values: Iterable<string>) => void;
}

export type Dep = string | Task<OptionsSchema> | { task: Task<OptionsSchema> | string; options?: Record<string, unknown> };

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
  readonly run: (options: z.infer<S>, ctx: PlanContext) => Step[] | Promise<Step[]>;
  /** When true for the given options, the run's product is data on stdout (JSON, SARIF): progress goes to stderr. */
  readonly dataOutput?: (options: z.infer<S>) => boolean;
}

export interface TaskDefinition<S extends OptionsSchema> {
  name: string;
  description: string;
  group?: string;
  options: S;
  positional?: readonly (keyof z.infer<S> & string)[];
  deps?: readonly Dep[];
  examples?: readonly string[];
  run: (options: z.infer<S>, ctx: PlanContext) => Step[] | Promise<Step[]>;
  dataOutput?: (options: z.infer<S>) => boolean;
}

/** Identity-style helper: fills defaults and keeps the option types for `run`. */
export function defineTask<S extends OptionsSchema>(def: TaskDefinition<S>): Task<S> {
  return {
    name: def.name,
    description: def.description,
    group: def.group ?? 'tasks',
    options: def.options,
    positional: def.positional ?? [],
    deps: def.deps ?? [],
    examples: def.examples ?? [],
    run: def.run,
    dataOutput: def.dataOutput,
  };
}

export function isTask(value: unknown): value is Task {
  return (
    typeof value === 'object' && value !== null && typeof (value as Task).name === 'string' && typeof (value as Task).run === 'function' && 'options' in value
  );
}
