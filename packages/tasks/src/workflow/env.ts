/**
 * The project's configuration. Planning reads it leniently (values for build args, secrets registered for masking);
 * the run validates it strictly in env-check, before anything is built or started.
 */
import { type CheckResult, checkEnv, type EnvSpec, extendSpec, loadEnv, type VarSpec, workflowSpec } from '@promtior/env';
import { z } from 'zod';
import type { PlanContext } from '../model/task.ts';

/** The shared spec plus the repo's own variables from tasks.config.ts. */
export function specFor(ctx: PlanContext): EnvSpec {
  const extra = Object.entries(ctx.config.env ?? {}).map(([key, v]): [string, VarSpec] => {
    let schema: z.ZodType = v.values ? z.enum(v.values as [string, ...string[]]) : z.string();
    if (v.pattern) schema = z.string().regex(new RegExp(v.pattern));
    const expected = v.values ? `one of ${v.values.join(', ')}` : v.pattern ? `a value matching the pattern ${v.pattern}` : 'a value';
    return [key, { description: v.description, schema, expected, default: v.default, secret: v.secret, required: v.required ? true : undefined }];
  });
  return extendSpec(workflowSpec, Object.fromEntries(extra));
}

function maskShellSecrets(ctx: PlanContext): void {
  const spec = specFor(ctx);
  ctx.addSecrets(Object.entries(ctx.env).flatMap(([k, v]) => (v && spec[k]?.secret ? [v] : [])));
}

/** Validates strictly; throws one EnvError with every problem. */
export function checkWorkflowEnv(ctx: PlanContext, dir: string): CheckResult {
  const spec = specFor(ctx);
  maskShellSecrets(ctx);
  const result = checkEnv(spec, { cwd: dir, files: ctx.envFiles, shell: ctx.env });
  ctx.addSecrets(result.secrets);
  return result;
}

/** The values as they stand (file, shell, defaults), without judging them: for planning only. */
export function readWorkflowValues(ctx: PlanContext, dir: string): Record<string, string> {
  const spec = specFor(ctx);
  maskShellSecrets(ctx);
  let values: Record<string, string> = {};
  try {
    values = loadEnv({ cwd: dir, files: ctx.envFiles, shell: ctx.env, keys: Object.keys(spec) }).values;
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
