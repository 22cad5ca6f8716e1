/** The validated configuration of the repo a task acts on; secrets are registered for masking at once. */
import { assistantSpec, type CheckResult, checkEnv, type EnvSpec } from '@promtior/env';
import type { PlanContext } from '../model/task.ts';

export function workflowEnv(ctx: PlanContext): CheckResult {
  const spec: EnvSpec = assistantSpec;
  // Mask secrets from the shell before validating, so no message about them can show the value.
  ctx.addSecrets(Object.entries(ctx.env).flatMap(([k, v]) => (v && spec[k]?.secret ? [v] : [])));
  const result = checkEnv(spec, { cwd: ctx.cwd, files: ctx.envFiles, shell: ctx.env });
  ctx.addSecrets(result.secrets);
  return result;
}
