/** Validates resolved values against a spec and collects every issue (t3-env style: report all, fail once). */
import path from 'node:path';
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
      if (isRequired(s, effective)) issues.push(missing(key, s.required, s.howTo ?? s.example, resolved, origin));
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
  issues.push(...bakedSecrets(spec, resolved, values));
  return { values, typed, secrets: [...secrets], issues };
}

/** Shorter secrets are not looked for inside other values: they would match ordinary words. */
const MIN_SECRET_IN_VALUE = 8;

/**
 * A build arg whose value is, contains or was built from a secret: docker build would bake it into the image (the
 * Dockerfile turns build args into ENV; `docker history` shows every one), so it is an error, not a warning.
 */
function bakedSecrets(spec: EnvSpec, resolved: ResolvedEnv, values: Readonly<Record<string, string>>): EnvIssue[] {
  const secretValues = Object.entries(spec).flatMap(([k, s]) => {
    const v = s.secret ? resolved.values[k] : undefined;
    return v && v.length >= MIN_SECRET_IN_VALUE ? [[k, v] as const] : [];
  });
  return Object.entries(spec).flatMap(([key, s]) => {
    const value = values[key];
    if (!s.buildArg || s.secret || !value) return [];
    const from = resolved.values[key] === value ? resolved.secretFrom[key] : undefined;
    const secret = from ?? secretValues.find(([, v]) => value.includes(v))?.[0];
    return secret ? [{ severity: 'error' as const, key, ...where(resolved.origins[key]), ...bakedSecret(key, secret) }] : [];
  });
}

/** The one wording of "this build arg holds a secret", for env-check and for the tasks that build. */
export function bakedSecret(key: string, secret: string): Pick<EnvIssue, 'message' | 'fix'> {
  return {
    message: `${key} holds the secret ${secret} (its value is not shown), and ${key} is a docker build arg: the secret would be baked into the image, where docker inspect and docker history show it to anyone who has the image`,
    fix: `take ${secret} out of ${key} and give it to the container at run time (compose environment or a secret file through ${secret}_FILE); the app reads it from its environment`,
  };
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

function missing(key: string, required: unknown, how: string | undefined, read: Pick<ResolvedEnv, 'files' | 'dir'>, origin: Origin | undefined): EnvIssue {
  const why = typeof required === 'object' && required !== null && 'reason' in required ? ` (required because ${String(required.reason)})` : '';
  const { files } = read;
  // No file read: say where .env was looked for (the project folder, which may not be where the command ran).
  const dotEnv = read.dir === undefined ? '.env' : path.join(read.dir, '.env');
  const place =
    files.length > 0 ? files.map(escapeControls).join(', ') : `${escapeControls(dotEnv)}${read.dir === undefined ? '' : ' (there is no such file)'}`;
  if (origin) {
    return { severity: 'error', key, ...where(origin), message: `${key} is empty${why}`, fix: `give ${key} a value${how ? `; ${how}` : ''}` };
  }
  return {
    severity: 'error',
    key,
    file: files[0],
    message: `${key} is not set${why}: it is in neither ${place} nor the shell environment`,
    fix: `add ${key}=... to ${escapeControls(files[0] ?? dotEnv)}${how ? `; ${how}` : ''}`,
  };
}
