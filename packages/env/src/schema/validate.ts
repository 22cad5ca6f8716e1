/** Validates resolved values against a spec and collects every issue (t3-env style: report all, fail once). */
import type { EnvIssue } from '../errors.ts';
import type { Origin, ResolvedEnv } from '../load.ts';
import { isPlainDecimal, numberShape } from './numbers.ts';
import { type EnvSpec, type EnvValues, isRequired } from './spec.ts';

export interface ValidatedEnv {
  /** Every spec key with its value (or default); unset optional keys are absent. */
  values: Record<string, string>;
  /** Typed values after each schema's conversion (APP_PORT is a number). */
  typed: Record<string, unknown>;
  /** Values that must never be printed. */
  secrets: string[];
  issues: EnvIssue[];
}

export function validateEnv(spec: EnvSpec, resolved: ResolvedEnv): ValidatedEnv {
  const issues: EnvIssue[] = [...resolved.issues];
  const values: Record<string, string> = {};
  const typed: Record<string, unknown> = {};
  const secrets: string[] = [];
  // "" counts as unset, as compose users expect of `KEY=`.
  const effective: EnvValues = Object.fromEntries(Object.entries(spec).map(([key, s]) => [key, nonEmpty(resolved.values[key]) ?? s.default]));
  for (const [key, s] of Object.entries(spec)) {
    const raw = nonEmpty(resolved.values[key]);
    const origin = resolved.origins[key];
    const value = raw ?? s.default;
    if (s.secret && raw) secrets.push(raw);
    if (value === undefined) {
      if (isRequired(s, effective)) issues.push(missing(key, s.required, s.howTo ?? s.example, resolved.files, origin));
      continue;
    }
    // Every numeric variable is plain decimal: Number() alone would take 0x50, 1e3, +8000 and 0080.
    const shape = numberShape(s.schema);
    const plain = shape === undefined || isPlainDecimal(value, shape.integer);
    const parsed = plain ? s.schema.safeParse(value) : undefined;
    if (!parsed?.success) {
      const decimal = plain ? '' : ' written in plain decimal digits (no sign, leading zero, exponent or hex)';
      issues.push({
        severity: 'error',
        key,
        ...where(origin),
        message: s.secret
          ? `${key} is not valid: expected ${s.expected} (the value, ${value.length} characters long, is not shown because it is secret)`
          : `${key} is "${value}", expected ${s.expected}${decimal}`,
        fix: s.secret
          ? (s.howTo ?? `set ${key} to ${s.expected}`)
          : `set ${key} to ${s.expected}${s.default ? ` (default ${s.default}; delete the line to use it)` : ''}`,
      });
      continue;
    }
    values[key] = value;
    typed[key] = parsed.data;
  }
  return { values, typed, secrets, issues };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function where(origin: Origin | undefined): Pick<EnvIssue, 'file' | 'line'> {
  if (!origin) return {};
  if (origin.kind === 'file') return { file: origin.file, line: origin.line };
  return { file: origin.kind === 'shell' ? '(shell environment)' : undefined };
}

function missing(key: string, required: unknown, how: string | undefined, files: readonly string[], origin: Origin | undefined): EnvIssue {
  const why = typeof required === 'object' && required !== null && 'reason' in required ? ` (required because ${String(required.reason)})` : '';
  const place = files.length > 0 ? files.join(', ') : '.env';
  if (origin) {
    return { severity: 'error', key, ...where(origin), message: `${key} is empty${why}`, fix: `give ${key} a value${how ? `; ${how}` : ''}` };
  }
  return {
    severity: 'error',
    key,
    file: files[0],
    message: `${key} is not set${why}: it is in neither ${place} nor the shell environment`,
    fix: `add ${key}=... to ${files[0] ?? '.env'}${how ? `; ${how}` : ''}`,
  };
}
