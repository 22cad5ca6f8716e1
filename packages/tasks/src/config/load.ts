/** Reads `tasks.config.{ts,mjs,js}` from the repo root; every problem is reported with its key path and file:line. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCode, TaskError } from '../errors.ts';
import type { RepoConfig } from './schema.ts';

export const CONFIG_FILES = ['tasks.config.ts', 'tasks.config.mjs', 'tasks.config.js'];

export function configFile(dir: string): string | undefined {
  return CONFIG_FILES.map((f) => path.join(dir, f)).find((f) => existsSync(f));
}

/** The config's raw default export, or undefined when the repo has none (cheap: no validation). */
export async function readConfig(dir: string): Promise<{ file: string; raw: unknown } | undefined> {
  const file = configFile(dir);
  if (!file) return undefined;
  try {
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return { file, raw: mod.default ?? {} };
  } catch (error) {
    throw new TaskError(
      ErrorCode.badConfig,
      `cannot load ${file}: ${(error as Error).message}. Fix the file (it must \`export default defineConfig({...})\`).`,
      { cause: error },
    );
  }
}

export async function loadConfig(dir: string): Promise<RepoConfig> {
  const found = await readConfig(dir);
  if (!found) return {};
  const { configSchema } = await import('./schema.ts');
  const result = configSchema.safeParse(found.raw);
  if (result.success) return result.data;
  const text = readFileSync(found.file, 'utf8').split('\n');
  const problems = result.error.issues.map((issue) => {
    const keys = [...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? issue.keys : [])];
    const where = lineOf(text, keys);
    const name = keys.join('.') || '(the config)';
    const what = issue.code === 'unrecognized_keys' ? `unknown key (known keys are listed in docs/configuration.md)` : issue.message;
    return `${path.basename(found.file)}:${where}: ${name}: ${what}`;
  });
  throw new TaskError(ErrorCode.badConfig, `${found.file} is not valid: ${problems.join('; ')}. Fix the keys named.`);
}

/** The line of the last key of a path (searched in order, so nested keys are found below their parent). */
function lineOf(lines: readonly string[], keys: readonly string[]): number {
  let from = 0;
  for (const key of keys.filter((k) => !/^\d+$/.test(k))) {
    const re = new RegExp(`(^|[\\s{,])["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`);
    const i = lines.findIndex((l, n) => n >= from && re.test(l));
    if (i >= 0) from = i;
  }
  return from + 1;
}
