/**
 * The project's configuration. Planning reads it leniently (values for build args, secrets registered for masking);
 * the run validates it strictly in env-check, before anything is built or started.
 */
import { type CheckResult, checkEnv, type EnvSpec, loadEnv, workflowSpec } from '@promtior/env';
import type { PlanContext } from '../model/task.ts';

const spec: EnvSpec = workflowSpec;

function maskShellSecrets(ctx: PlanContext): void {
  ctx.addSecrets(Object.entries(ctx.env).flatMap(([k, v]) => (v && spec[k]?.secret ? [v] : [])));
}

/** Validates strictly; throws one EnvError with every problem. */
export function checkWorkflowEnv(ctx: PlanContext, dir: string): CheckResult {
  maskShellSecrets(ctx);
  const result = checkEnv(spec, { cwd: dir, files: ctx.envFiles, shell: ctx.env });
  ctx.addSecrets(result.secrets);
  return result;
}

/** The values as they stand (file, shell, defaults), without judging them: for planning only. */
export function readWorkflowValues(ctx: PlanContext, dir: string): Record<string, string> {
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
