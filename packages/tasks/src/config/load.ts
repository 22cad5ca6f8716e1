/**
 * Reads `tasks.config.{ts,mjs,js}` from the repo root. Every problem is reported at once with its key path and
 * file:line (file:line:col for code that does not load); a config that exports nothing is an error, not the defaults.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { serviceWorkflowSpec, workflowSpec } from '@promtior/env';
import { ErrorCode, TaskError } from '../errors.ts';
import { describeLoadError } from '../registry/load-error.ts';
import { importUserModule } from '../registry/user-module.ts';
import { suggest } from '../text/suggest.ts';
import { configFile } from './files.ts';
import type { RepoConfig } from './schema.ts';

export { CONFIG_FILES, configFile } from './files.ts';

const FIX = 'it must `export default defineConfig({...})`; an empty object means the defaults';

/** The config's raw default export, or undefined when the repo has none (no validation). */
export async function readConfig(dir: string): Promise<{ file: string; raw: unknown } | undefined> {
  const file = configFile(dir);
  if (!file) return undefined;
  const shown = path.basename(file);
  let mod: Record<string, unknown>;
  try {
    mod = await importUserModule(file, shown);
  } catch (error) {
    throw new TaskError(ErrorCode.badConfig, `cannot load ${file}: ${await describeLoadError(file, shown, error)}. Fix the file (${FIX}).`, { cause: error });
  }
  const raw = mod.default;
  if (raw === undefined) {
    throw new TaskError(ErrorCode.badConfig, `${file} has no default export, so it configures nothing. Add \`export default defineConfig({ ... })\` (${FIX}).`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const line = lineOf(readFileSync(file, 'utf8').split('\n'), [], /^\s*export\s+default\b/);
    throw new TaskError(
      ErrorCode.badConfig,
      `${shown}:${line}: the default export is ${inspect(raw).slice(0, 80)}, not an object. Export the settings: \`export default defineConfig({ ... })\` (${FIX}).`,
    );
  }
  return { file, raw };
}

/** The validated config; `builtinNames` lets `disable` be checked against the tasks that exist. */
export async function loadConfig(dir: string, builtinNames?: readonly string[]): Promise<RepoConfig> {
  const found = await readConfig(dir);
  if (!found) return {};
  const { configSchema } = await import('./schema.ts');
  const shown = path.basename(found.file);
  let result: ReturnType<typeof configSchema.safeParse>;
  try {
    result = configSchema.safeParse(found.raw);
  } catch (error) {
    // A getter or a Proxy in the export that throws when read: the config's code failed, not the validation.
    const why = await describeLoadError(found.file, shown, error);
    throw new TaskError(ErrorCode.badConfig, `cannot read ${found.file}: ${why} (thrown while its default export was read). Export plain values (${FIX}).`, {
      cause: error,
    });
  }
  const text = readFileSync(found.file, 'utf8').split('\n');
  const problems = result.success
    ? [...unknownDisabled(result.data.disable ?? [], builtinNames, text, shown), ...unknownDefaults(result.data, text, shown)]
    : result.error.issues.map((issue) => {
        const keys = [...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? issue.keys : [])];
        const name = keys.join('.') || '(the config)';
        const what = issue.code === 'unrecognized_keys' ? `unknown key (known keys are listed in docs/configuration.md)` : issue.message;
        return `${shown}:${lineOf(text, keys)}: ${name}: ${what}`;
      });
  if (result.success && problems.length === 0) return result.data;
  throw new TaskError(ErrorCode.badConfig, `${found.file} is not valid: ${problems.join('; ')}. Fix the keys named.`);
}

/** `disable: ['docker-biuld']` would turn nothing off without a word: name it, with the closest built-in. */
function unknownDisabled(disable: readonly string[], builtins: readonly string[] | undefined, text: readonly string[], shown: string): string[] {
  if (!builtins) return [];
  return disable
    .filter((name) => !builtins.includes(name))
    .map((name) => {
      const hint = suggest(name, builtins);
      const quoted = new RegExp(`['"\`]${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"\`]`);
      return `${shown}:${lineOf(text, ['disable'], quoted)}: disable: "${name}" is not a built-in task.${hint ? ` Did you mean ${hint}?` : ` The built-ins are: ${builtins.join(', ')}.`}`;
    });
}

/** `defaults: { APP_PROT: ... }` would set nothing: a default must be for a variable of the repo's schema. */
function unknownDefaults(config: RepoConfig, text: readonly string[], shown: string): string[] {
  const known = [...Object.keys(config.preset === 'none' ? serviceWorkflowSpec : workflowSpec), ...Object.keys(config.env ?? {})];
  return Object.keys(config.defaults ?? {})
    .filter((key) => !known.includes(key))
    .map((key) => {
      const hint = suggest(key, known);
      return `${shown}:${lineOf(text, ['defaults', key])}: defaults.${key}: not a variable of this repo's schema.${hint ? ` Did you mean ${hint}?` : ' Declare it under env first.'}`;
    });
}

/** The line of the last key of a path (searched in order, so nested keys are found below their parent), or of `then`. */
function lineOf(lines: readonly string[], keys: readonly string[], then?: RegExp): number {
  let from = 0;
  for (const key of keys.filter((k) => !/^\d+$/.test(k))) {
    const re = new RegExp(`(^|[\\s{,])["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`);
    const i = lines.findIndex((l, n) => n >= from && re.test(l));
    if (i >= 0) from = i;
  }
  if (then) {
    const i = lines.findIndex((l, n) => n >= from && then.test(l));
    if (i >= 0) from = i;
  }
  return from + 1;
}
