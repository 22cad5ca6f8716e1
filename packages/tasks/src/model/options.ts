/**
 * One declaration, three uses: a task's zod options object gives its CLI flags (name, type, default, help text)
 * and validates what was typed. Flag names are the kebab-case of the keys (`envFile` → `--env-file`).
 */
import { z } from 'zod';
import { ErrorCode, usageError } from '../errors.ts';
import type { OptionsSchema, Task } from './task.ts';

export type FlagType = 'string' | 'number' | 'boolean' | 'enum' | 'list';

export interface FlagSpec {
  key: string;
  flag: string;
  type: FlagType;
  choices?: readonly string[];
  default?: unknown;
  required: boolean;
  description: string;
  short?: string;
}

interface ZodLike {
  type: string;
  description?: string;
  def: { innerType?: ZodLike; defaultValue?: unknown; element?: ZodLike };
  options?: readonly string[];
}

export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The flags a task accepts, derived from its options schema. */
export function flagsOf(schema: OptionsSchema): FlagSpec[] {
  return Object.entries(schema.shape).map(([key, field]) => {
    let node = field as unknown as ZodLike;
    let def: unknown;
    let required = true;
    const meta = (z.globalRegistry.get(field as z.ZodType) ?? {}) as { description?: string; short?: string };
    while (node.type === 'default' || node.type === 'optional' || node.type === 'prefault') {
      if (node.type === 'default') def = node.def.defaultValue;
      required = false;
      node = node.def.innerType as ZodLike;
    }
    const type: FlagType =
      node.type === 'boolean' ? 'boolean' : node.type === 'number' ? 'number' : node.type === 'enum' ? 'enum' : node.type === 'array' ? 'list' : 'string';
    const spec: FlagSpec = { key, flag: kebab(key), type, required, description: meta.description ?? node.description ?? '', default: def };
    if (type === 'enum') spec.choices = node.options ?? [];
    if (meta.short) spec.short = meta.short;
    return spec;
  });
}

/**
 * Parses a task's own arguments (after its name) into raw option values, then validates them with the schema.
 * Errors name the flag and say what it takes; unknown flags suggest the closest one.
 */
export function parseTaskArgs(
  task: Task,
  args: readonly string[],
  suggest: (word: string, choices: readonly string[]) => string | undefined,
): Record<string, unknown> {
  const flags = flagsOf(task.options);
  const byFlag = new Map(flags.map((f) => [f.flag, f]));
  const byShort = new Map(flags.filter((f) => f.short).map((f) => [f.short as string, f]));
  const raw: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : arg.slice(1, eq > 0 ? eq : undefined);
    const negated = arg.startsWith('--no-') && !byFlag.has(name);
    const spec = arg.startsWith('--') ? byFlag.get(negated ? name.slice(3) : name) : byShort.get(name);
    if (!spec) {
      const hint = suggest(
        name,
        flags.map((f) => f.flag),
      );
      throw usageError(
        ErrorCode.unknownFlag,
        `unknown flag ${arg.split('=')[0]} for task ${task.name}.${hint ? ` Did you mean --${hint}?` : ''} Run \`task ${task.name} --help\` for its flags.`,
      );
    }
    if (spec.type === 'boolean') {
      if (eq > 0) throw usageError(ErrorCode.badFlag, `--${spec.flag} is a switch and takes no value; use --${spec.flag} or --no-${spec.flag}.`);
      raw[spec.key] = !negated;
      continue;
    }
    if (negated) throw usageError(ErrorCode.badFlag, `--no-${spec.flag} is not a switch; give --${spec.flag} <value> instead.`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw usageError(ErrorCode.badFlag, `--${spec.flag} needs a value (${describeType(spec)}).`);
    setRaw(raw, spec, value);
  }
  const extra = positionals.slice(task.positional.length);
  if (extra.length > 0) {
    throw usageError(ErrorCode.badFlag, `task ${task.name} takes no argument "${extra[0]}". Run \`task ${task.name} --help\` for its flags.`);
  }
  positionals.forEach((value, idx) => {
    const spec = flags.find((f) => f.key === task.positional[idx]);
    if (spec) setRaw(raw, spec, value);
  });
  return validateOptions(task, raw);
}

function setRaw(raw: Record<string, unknown>, spec: FlagSpec, value: string): void {
  if (spec.type === 'list') raw[spec.key] = [...((raw[spec.key] as string[] | undefined) ?? []), value];
  else if (spec.type === 'number') raw[spec.key] = value.trim() === '' ? Number.NaN : Number(value);
  else raw[spec.key] = value;
}

/** Validates options given in code (a task calling another) or from the command line. */
export function validateOptions(task: Task, raw: Record<string, unknown>): Record<string, unknown> {
  const result = task.options.safeParse(raw);
  if (result.success) return result.data as Record<string, unknown>;
  const flags = flagsOf(task.options);
  const problems = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const spec = flags.find((f) => f.key === key);
    if (!spec) return issue.message;
    const got = raw[key] === undefined ? 'nothing' : JSON.stringify(raw[key]);
    return `--${spec.flag} got ${got}, expected ${describeType(spec)}`;
  });
  throw usageError(ErrorCode.badFlag, `invalid options for task ${task.name}: ${problems.join('; ')}. Run \`task ${task.name} --help\` for its flags.`);
}

export function describeType(spec: FlagSpec): string {
  switch (spec.type) {
    case 'enum':
      return `one of ${(spec.choices ?? []).join(', ')}`;
    case 'number':
      return 'a number';
    case 'list':
      return 'a value (repeat the flag for more)';
    case 'boolean':
      return 'nothing (a switch)';
    default:
      return 'a value';
  }
}
