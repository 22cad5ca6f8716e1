/** The one call a task needs: read the env files and the shell, validate against the spec, report everything. */
import { EnvError, EnvErrorCode } from './errors.ts';
import { type LoadOptions, loadEnv } from './load.ts';
import type { EnvSpec } from './schema/spec.ts';
import { type ValidatedEnv, validateEnv } from './schema/validate.ts';

export interface CheckResult extends ValidatedEnv {
  files: string[];
}

/** Returns the validated env with its warnings; throws one EnvError carrying every error found. */
export function checkEnv(spec: EnvSpec, opts: Omit<LoadOptions, 'keys'>): CheckResult {
  const resolved = loadEnv({ ...opts, keys: Object.keys(spec) });
  const result = validateEnv(spec, resolved);
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    const n = errors.length;
    throw new EnvError(EnvErrorCode.invalid, `the environment has ${n} problem${n === 1 ? '' : 's'}`, result.issues);
  }
  return { ...result, files: resolved.files };
}
