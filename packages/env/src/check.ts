/** The one call a task needs: read the env files and the shell, validate against the spec, report everything. */
import { EnvError, EnvErrorCode } from './errors.ts';
import { grouped } from './issues.ts';
import { type LoadOptions, loadEnv } from './load.ts';
import type { EnvSpec } from './schema/spec.ts';
import { type ValidatedEnv, validateEnv } from './schema/validate.ts';

export interface CheckResult extends ValidatedEnv {
  files: string[];
}

/**
 * Returns the validated env with its warnings; throws one EnvError carrying every error found (and, not enumerable,
 * the secrets to mask). `secrets` holds every secret value and every value derived from one: mask them all.
 */
export function checkEnv(spec: EnvSpec, opts: Omit<LoadOptions, 'keys' | 'secretKeys'>): CheckResult {
  const secretKeys = Object.entries(spec).flatMap(([key, s]) => (s.secret ? [key] : []));
  const resolved = loadEnv({ ...opts, keys: Object.keys(spec), secretKeys });
  const result = validateEnv(spec, resolved);
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    // The last file issue may stand for many not listed: count those, not the line that counts them.
    const hidden = resolved.omitted.error;
    const n = errors.length + (hidden > 0 ? hidden - 1 : 0);
    const listed = hidden > 0 ? ` (${errors.length - 1} listed)` : '';
    // The warnings are listed with the problems: count them too, so that the headline matches the list.
    const warnings = result.issues.length - errors.length + (hidden > 0 ? resolved.omitted.warning : Math.max(0, resolved.omitted.warning - 1));
    const also = warnings > 0 ? ` and ${grouped(warnings)} warning${warnings === 1 ? '' : 's'}` : '';
    throw new EnvError(EnvErrorCode.invalid, `the environment has ${grouped(n)} problem${n === 1 ? '' : 's'}${listed}${also}`, result.issues, result.secrets);
  }
  return { ...result, files: resolved.files };
}
