/** Validates resolved values against a spec and collects every issue (t3-env style: report all, fail once). */
import type { EnvIssue } from '../errors.ts';
import type { Origin, ResolvedEnv } from '../load.ts';
import { escapeControls, quoteText } from '../text/escape.ts';
import { isPlainDecimal, numberShape } from './numbers.ts';
import { type EnvSpec, type EnvValues, isRequired, type VarSpec } from './spec.ts';

export interface ValidatedEnv {
  /** Every spec key with its value (or default); unset optional keys are absent. */
  values: Record<string, string>;
  /** Typed values after each schema's conversion (APP_PORT is a number). */
  typed: Record<string, unknown>;
  /** Values that must never be printed: secrets, and every value that contains or was derived from one. */
  secrets: string[];
  issues: EnvIssue[];
}

export function validateEnv(spec: EnvSpec, resolved: ResolvedEnv): ValidatedEnv {
  const issues: EnvIssue[] = [...resolved.issues];
  const values: Record<string, string> = {};
  const typed: Record<string, unknown> = {};
  const secrets = new Set<string>(resolved.secrets);
  // "" counts as unset, as compose users expect of `KEY=`.
  const effective: EnvValues = Object.fromEntries(Object.entries(spec).map(([key, s]) => [key, nonEmpty(resolved.values[key]) ?? s.default]));
  for (const [key, s] of Object.entries(spec)) {
    const raw = nonEmpty(resolved.values[key]);
    const origin = resolved.origins[key];
    const value = raw ?? s.default;
    if (s.secret && raw) secrets.add(raw);
    if (value === undefined) {
      if (isRequired(s, effective)) issues.push(missing(key, s.required, s.howTo ?? s.example, resolved.files, origin));
      continue;
    }
    const shape = numberShape(s.schema);
    const plain = shape === undefined || isPlainDecimal(value, shape.integer);
    const parsed = plain ? s.schema.safeParse(value) : undefined;
    if (!parsed?.success) {
      const from = raw === undefined ? undefined : resolved.secretFrom[key];
      issues.push({ severity: 'error', key, ...where(origin), ...invalid(key, s, value, from, plain) });
      continue;
    }
    values[key] = value;
    typed[key] = parsed.data;
  }
  return { values, typed, secrets: [...secrets], issues };
}

/** The message for a value the schema rejects. A secret's value, or one built from a secret, is never part of it. */
function invalid(key: string, s: VarSpec, value: string, from: string | undefined, plain: boolean): Pick<EnvIssue, 'message' | 'fix'> {
  const orDefault = s.default ? ` (default ${s.default}; delete the line to use it)` : '';
  if (s.secret) {
    return {
      message: `${key} is not valid: expected ${s.expected} (the value, ${value.length} characters long, is not shown because it is secret)`,
      fix: s.howTo ?? `set ${key} to ${s.expected}`,
    };
  }
  if (from) {
    return {
      message: `${key} is not valid: the value (derived from secret ${from}) is not shown; expected ${s.expected}`,
      fix: `set ${key} to ${s.expected}${orDefault}; it takes its value from the secret ${from}, which is most likely a mistaken reference`,
    };
  }
  const decimal = plain ? '' : ' written in plain decimal digits (no sign, leading zero, exponent or hex)';
  return { message: `${key} is ${quoteText(value)}, expected ${s.expected}${decimal}`, fix: `set ${key} to ${s.expected}${orDefault}` };
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
  const place = files.length > 0 ? files.map(escapeControls).join(', ') : '.env';
  if (origin) {
    return { severity: 'error', key, ...where(origin), message: `${key} is empty${why}`, fix: `give ${key} a value${how ? `; ${how}` : ''}` };
  }
  return {
    severity: 'error',
    key,
    file: files[0],
    message: `${key} is not set${why}: it is in neither ${place} nor the shell environment`,
    fix: `add ${key}=... to ${escapeControls(files[0] ?? '.env')}${how ? `; ${how}` : ''}`,
  };
}
