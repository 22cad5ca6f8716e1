/**
 * One declaration, three uses: a task's zod options object gives its CLI flags (name, type, default, help text)
 * and validates what was typed. Flag names are the kebab-case of the keys (`envFile` → `--env-file`). An option
 * marked `.meta({ path: true })` is a path: typed on the command line, it is relative to the shell's folder.
 */
import path from 'node:path';
import { z } from 'zod';
import { ErrorCode, usageError } from '../errors.ts';
import { quoteInput } from '../text/quote.ts';
import { RUN_FLAG_WORDS } from './global-flags.ts';
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
  /** A file or folder path: resolved against the shell's folder when typed on the command line. */
  path?: boolean;
  /** What a valid value looks like, for help and errors ("a whole number greater than 0"). */
  expects: string;
}

interface CheckDef {
  check: string;
  value?: number;
  inclusive?: boolean;
  format?: string;
  minimum?: number;
}

interface ZodLike {
  type: string;
  description?: string;
  def: { innerType?: ZodLike; defaultValue?: unknown; element?: ZodLike; checks?: { _zod: { def: CheckDef & { error?: () => string } } }[] };
  options?: readonly string[];
}

type Meta = { description?: string; short?: string; path?: boolean };

export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The flags a task accepts, derived from its options schema. */
export function flagsOf(schema: OptionsSchema): FlagSpec[] {
  return Object.entries(schema.shape).map(([key, field]) => {
    let node = field as unknown as ZodLike;
    let def: unknown;
    let required = true;
    const meta: Meta = { ...(z.globalRegistry.get(field as z.ZodType) as Meta | undefined) };
    while (node.type === 'default' || node.type === 'optional' || node.type === 'prefault') {
      if (node.type === 'default') def = node.def.defaultValue;
      required = false;
      node = node.def.innerType as ZodLike;
      // Outer declarations (`.describe()` after `.default()`) win over the inner schema's.
      Object.assign(meta, { ...(z.globalRegistry.get(node as unknown as z.ZodType) as Meta | undefined), ...meta });
    }
    // A list's path marker sits on its element (`z.array(z.string().meta({ path: true }))`).
    if (node.type === 'array' && node.def.element)
      Object.assign(meta, { ...(z.globalRegistry.get(node.def.element as unknown as z.ZodType) as Meta | undefined), ...meta });
    const type: FlagType =
      node.type === 'boolean' ? 'boolean' : node.type === 'number' ? 'number' : node.type === 'enum' ? 'enum' : node.type === 'array' ? 'list' : 'string';
    const spec: FlagSpec = {
      key,
      flag: kebab(key),
      type,
      required,
      description: meta.description ?? node.description ?? '',
      default: def,
      expects: expects(type, node),
    };
    if (type === 'enum') spec.choices = node.options ?? [];
    if (meta.short) spec.short = meta.short;
    if (meta.path) spec.path = true;
    return spec;
  });
}

/** The constraint in words, read from the schema's own checks. */
function expects(type: FlagType, node: ZodLike): string {
  if (type === 'enum') return `one of ${(node.options ?? []).join(', ')}`;
  if (type === 'boolean') return 'nothing (a switch)';
  if (type === 'list') {
    const inner = node.def.element ? expects('string', node.def.element) : 'a value';
    return `${inner} (repeat the flag for more)`;
  }
  const checks = (node.def.checks ?? []).map((c) => c._zod.def);
  if (type === 'number') {
    const whole = checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''));
    const low = checks.find((c) => c.check === 'greater_than');
    const high = checks.find((c) => c.check === 'less_than');
    const noun = whole ? 'a whole number' : 'a number';
    if (low && high && low.inclusive && high.inclusive) return `${noun} from ${low.value} to ${high.value}`;
    const parts = [
      low ? `${low.inclusive ? 'at least' : 'greater than'} ${low.value}` : '',
      high ? `${high.inclusive ? 'at most' : 'less than'} ${high.value}` : '',
    ].filter(Boolean);
    return parts.length > 0 ? `${noun} ${parts.join(' and ')}` : noun;
  }
  const pattern = (node.def.checks ?? []).find((c) => c._zod.def.format === 'regex')?._zod.def.error?.();
  if (pattern) return `a value of the form ${pattern}`;
  if (checks.some((c) => c.format === 'url')) return 'a URL';
  if (checks.some((c) => c.check === 'min_length' && (c.minimum ?? 0) > 0)) return 'a non-empty value';
  return 'a value';
}

/** Why a task's options clash with the global flags or positionals, or undefined when they do not. */
export function checkTaskFlags(schema: OptionsSchema, positional: readonly string[]): string | undefined {
  const flags = flagsOf(schema);
  for (const f of flags) {
    const words = [`--${f.flag}`, ...(f.type === 'boolean' ? [`--no-${f.flag}`] : []), ...(f.short ? [`-${f.short}`] : [])];
    const clash = words.find((w) => RUN_FLAG_WORDS.has(w));
    if (clash) {
      return `option "${f.key}" would be the flag ${clash}, which is a global flag of every task (${[...RUN_FLAG_WORDS].join(', ')}). Rename the option.`;
    }
  }
  const unknown = positional.find((p) => !flags.some((f) => f.key === p));
  return unknown ? `positional "${unknown}" is not one of the options.` : undefined;
}

export interface ParseOptions {
  /** "Did you mean" for an unknown flag. */
  suggest: (word: string, choices: readonly string[]) => string | undefined;
  /** Where relative path options typed on the command line start from: the shell's folder. */
  baseDir: string;
}

/**
 * Parses a task's own arguments (after its name) into raw option values, then validates them with the schema.
 * Errors name the flag, quote what was typed and say what it takes; unknown flags suggest the closest one.
 */
export function parseTaskArgs(task: Task, args: readonly string[], opts: ParseOptions): Record<string, unknown> {
  const flags = flagsOf(task.options);
  const byFlag = new Map(flags.map((f) => [f.flag, f]));
  const byShort = new Map(flags.filter((f) => f.short).map((f) => [f.short as string, f]));
  const raw: Record<string, unknown> = {};
  const typed: Record<string, string> = {};
  const positionals: string[] = [];
  const set = (spec: FlagSpec, value: string) => {
    typed[spec.key] = value;
    setRaw(raw, spec, spec.path ? path.resolve(opts.baseDir, value) : value);
  };
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
      const hint = opts.suggest(
        name,
        flags.map((f) => f.flag),
      );
      throw usageError(
        ErrorCode.unknownFlag,
        `unknown flag ${quoteInput(arg.split('=')[0] ?? arg)} for task ${task.name}.${hint ? ` Did you mean --${hint}?` : ''} Run \`task ${task.name} --help\` for its flags.`,
      );
    }
    if (spec.type === 'boolean') {
      if (eq > 0) throw usageError(ErrorCode.badFlag, `--${spec.flag} is a switch and takes no value; use --${spec.flag} or --no-${spec.flag}.`);
      raw[spec.key] = !negated;
      continue;
    }
    if (negated) throw usageError(ErrorCode.badFlag, `--no-${spec.flag} is not a switch; give --${spec.flag} <value> instead.`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw usageError(ErrorCode.badFlag, `--${spec.flag} needs a value: ${spec.expects}.`);
    set(spec, value);
  }
  const extra = positionals.slice(task.positional.length);
  if (extra.length > 0) {
    throw usageError(ErrorCode.badFlag, `task ${task.name} takes no argument ${quoteInput(extra[0] ?? '')}. Run \`task ${task.name} --help\` for its flags.`);
  }
  positionals.forEach((value, idx) => {
    const spec = flags.find((f) => f.key === task.positional[idx]);
    if (spec) set(spec, value);
  });
  return validateOptions(task, raw, typed);
}

// Plain decimal only: `0x50`, `1e3` and `+8` are typos more often than intent.
const DECIMAL = /^-?\d+(\.\d+)?$/;

function setRaw(raw: Record<string, unknown>, spec: FlagSpec, value: string): void {
  if (spec.type === 'list') raw[spec.key] = [...((raw[spec.key] as string[] | undefined) ?? []), value];
  else if (spec.type === 'number') raw[spec.key] = DECIMAL.test(value.trim()) ? Number(value) : Number.NaN;
  else raw[spec.key] = value;
}

/**
 * Validates options given in code (a task calling another) or from the command line (`typed` keeps what was typed,
 * so an error quotes the input, not what it was converted to).
 */
export function validateOptions(task: Task, raw: Record<string, unknown>, typed: Record<string, string> = {}): Record<string, unknown> {
  const result = task.options.safeParse(raw);
  if (result.success) return result.data as Record<string, unknown>;
  const flags = flagsOf(task.options);
  const problems = [
    ...new Set(
      result.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        const spec = flags.find((f) => f.key === key);
        if (!spec) return issue.message;
        const index = issue.path[1];
        const value = typeof index === 'number' && Array.isArray(raw[key]) ? (raw[key] as unknown[])[index] : (typed[key] ?? raw[key]);
        const got = value === undefined ? 'nothing' : quoteInput(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
        return `--${spec.flag} got ${got}, expected ${spec.expects}`;
      }),
    ),
  ];
  throw usageError(ErrorCode.badFlag, `invalid options for task ${task.name}: ${problems.join('; ')}. Run \`task ${task.name} --help\` for its flags.`);
}

/** What a flag takes, in words (for --help). */
export function describeType(spec: FlagSpec): string {
  return spec.expects;
}
