/**
 * The variable registry: one declaration per variable gives validation, `.env.example` and the docs table.
 * A repo extends it with `extendSpec` (its own variables are validated the same way).
 */
import type { z } from 'zod';

export type EnvValues = Readonly<Record<string, string | undefined>>;

export interface VarSpec {
  /** Human text shown in docs and errors. */
  description: string;
  /** Validates and converts the (non-empty) string value. */
  schema: z.ZodType;
  /** What a valid value looks like, said in words ("an integer from 1 to 65535"). */
  expected: string;
  default?: string;
  /** Secret values are never printed: not in errors, --verbose or --dry-run. */
  secret?: boolean;
  /** true, or a rule on the other values with its reason in words. */
  required?: true | { when: (env: EnvValues) => boolean; reason: string };
  /** Shown in `.env.example` and as the suggested fix for a missing value. */
  example?: string;
  /** How to produce a good value, for secrets ("openssl rand -hex 32"). */
  howTo?: string;
  /** Passed to `docker build --build-arg` as well. */
  buildArg?: boolean;
}

export type EnvSpec = Readonly<Record<string, VarSpec>>;

/** Identity helper that keeps the literal keys for type inference. */
export function defineSpec<S extends EnvSpec>(spec: S): S {
  return spec;
}

/** The base spec plus a repo's own variables; a repo may also override a base entry. */
export function extendSpec<A extends EnvSpec, B extends EnvSpec>(base: A, extra: B): A & B {
  return { ...base, ...extra };
}

export function isRequired(spec: VarSpec, env: EnvValues): boolean {
  if (spec.required === true) return true;
  return spec.required ? spec.required.when(env) : false;
}
