/**
 * The project's configuration. Planning reads it leniently (values for build args, secrets registered for masking);
 * the run validates it strictly in env-check, before anything is built or started, and hands what it validated on
 * (the `validatedEnv` output) to every compose command, so compose interpolates exactly those values whichever
 * compose reads the file (v1 reads some .env lines differently; the process environment wins over .env in both).
 */

import path from 'node:path';
import { type CheckResult, checkEnv, EnvError, type EnvSpec, extendSpec, loadEnv, serviceWorkflowSpec, type VarSpec, workflowSpec } from '@promtior/env';
import { z } from 'zod';
import type { RepoConfig } from '../config/schema.ts';
import { output } from '../model/data-flow.ts';
import type { PlanContext } from '../model/task.ts';
import { checkSecretFiles, withSecretFiles } from './secret-files.ts';

/** The values env-check validated: produced by env-check's step, read by compose commands (`envFrom`). */
export const validatedEnv = output<Readonly<Record<string, string>>>('validated-env');

/**
 * The repo's spec: the preset's variables (the assistant's unless tasks.config.ts says `preset: 'none'`), the
 * repo's own variables from tasks.config.ts, then its `defaults` over the defaults of either. A secret is required
 * only without its `_FILE`.
 */
export function specFor(config: RepoConfig): EnvSpec {
  const extra = Object.entries(config.env ?? {}).map(([key, v]): [string, VarSpec] => {
    let schema: z.ZodType = v.values ? z.enum(v.values as [string, ...string[]]) : z.string();
    if (v.pattern) schema = z.string().regex(new RegExp(v.pattern));
    const expected = v.values ? `one of ${v.values.join(', ')}` : v.pattern ? `a value matching the pattern ${v.pattern}` : 'a value';
    return [
      key,
      { description: v.description, schema, expected, default: v.default, secret: v.secret, required: v.required ? true : undefined, buildArg: v.buildArg },
    ];
  });
  const spec: Record<string, VarSpec> = { ...extendSpec(config.preset === 'none' ? serviceWorkflowSpec : workflowSpec, Object.fromEntries(extra)) };
  for (const [key, value] of Object.entries(config.defaults ?? {})) if (spec[key]) spec[key] = { ...spec[key], default: value };
  return withSecretFiles(spec);
}

/** `KEY=value` for every build-arg variable of the spec that has a value (the images are the tasks' own choice). */
export function buildArgsOf(spec: EnvSpec, values: Readonly<Record<string, string>>, chosen: Readonly<Record<string, string>>): string[] {
  return Object.entries(spec).flatMap(([key, s]) => {
    const value = chosen[key] ?? values[key];
    return s.buildArg && value ? [`${key}=${value}`] : [];
  });
}

function maskShellSecrets(ctx: PlanContext, spec: EnvSpec): void {
  ctx.addSecrets(Object.entries(ctx.env).flatMap(([k, v]) => (v && spec[k]?.secret ? [v] : [])));
}

/** Validates strictly; throws one EnvError with every problem. */
export function checkWorkflowEnv(ctx: PlanContext, dir: string): CheckResult {
  const spec = specFor(ctx.config);
  maskShellSecrets(ctx, spec);
  let result: CheckResult;
  try {
    result = checkEnv(spec, { cwd: dir, files: ctx.envFiles, shell: ctx.env, shownDir: shownDir(ctx, dir) });
  } catch (error) {
    // The error's own messages never hold a secret, but later output (a summary, another task) may quote one.
    if (error instanceof EnvError) ctx.addSecrets(error.secrets);
    throw error;
  }
  ctx.addSecrets(result.secrets);
  // The secrets given as files (`ADMIN_REINGEST_KEY_FILE=...`): each file readable and holding a valid key.
  const fileIssues = checkSecretFiles(spec, result.values, dir, (v) => ctx.addSecrets(v));
  return { ...result, issues: [...result.issues, ...fileIssues] };
}

/**
 * The project folder as seen from where the command ran (`docker/assistant` in this repo), so that the project's
 * .env is named `docker/assistant/.env:4` in messages; nothing when it is that folder.
 */
function shownDir(ctx: PlanContext, dir: string): string | undefined {
  return path.relative(ctx.cwd, dir) || undefined;
}

/** The values as they stand (file, shell, defaults), without judging them: for planning only. */
export function readWorkflowValues(ctx: PlanContext, dir: string): Record<string, string> {
  const spec = specFor(ctx.config);
  maskShellSecrets(ctx, spec);
  let values: Record<string, string> = {};
  try {
    const loaded = loadEnv({
      cwd: dir,
      files: ctx.envFiles,
      shell: ctx.env,
      keys: Object.keys(spec),
      secretKeys: secretKeysOf(spec),
      shownDir: shownDir(ctx, dir),
    });
    values = loaded.values;
    // Values derived from a secret by interpolation (URL=http://u:${TOKEN}@h) are secret too.
    ctx.addSecrets(loaded.secrets);
  } catch {
    // A missing --env-file is reported by env-check when the plan runs.
  }
  const out: Record<string, string> = {};
  for (const [key, s] of Object.entries(spec)) {
    const v = values[key] || s.default;
    if (v !== undefined) out[key] = v;
    if (s.secret && values[key]) ctx.addSecrets([values[key] as string]);
  }
  return out;
}

/** Every secret value the shell and the env files hold, for masking an error raised before any planning. */
export function knownSecrets(dir: string, files: readonly string[], shell: Readonly<Record<string, string | undefined>>): string[] {
  const spec = specFor({});
  const fromShell = Object.entries(shell).flatMap(([k, v]) => (v && spec[k]?.secret ? [v] : []));
  const loaded = loadEnv({ cwd: dir, files, shell: {}, keys: Object.keys(spec), secretKeys: secretKeysOf(spec) });
  return [...fromShell, ...loaded.secrets, ...Object.entries(loaded.values).flatMap(([k, v]) => (v && spec[k]?.secret ? [v] : []))];
}

function secretKeysOf(spec: EnvSpec): string[] {
  return Object.entries(spec).flatMap(([k, s]) => (s.secret ? [k] : []));
}
