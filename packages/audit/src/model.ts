/** The audit's vocabulary: categories, severities, findings and rules as plain data. */
import type { Compose } from './parse/compose.ts';
import type { Dockerfile } from './parse/dockerfile.ts';
import type { IgnoreFile } from './parse/dockerignore.ts';

export const CATEGORIES = ['user-privileges', 'secrets-management', 'base-image', 'attack-surface', 'health-monitoring', 'resource-limits'] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  rule: string;
  category: Category;
  severity: Severity;
  file: string;
  line: number;
  /** What was found. */
  message: string;
  /** The compose services (or, for a Dockerfile no service builds, its path) the finding is about, when known. */
  services?: string[];
  /** Why it matters. */
  why: string;
  fix: string;
}

export interface AuditInput {
  /** The folder audited (build context of the Dockerfiles). */
  dir: string;
  dockerfiles: Dockerfile[];
  compose?: Compose;
  dockerignore?: IgnoreFile;
  /** Files at the top of the folder, to see what a `COPY . .` would take in. */
  contextFiles: string[];
  /** Files that could not be read or parsed (each becomes a critical AUDIT-000 finding). */
  errors?: InputProblem[];
}

/** A file the audit could not read or parse: where, what, and the fix. */
export interface InputProblem {
  file: string;
  line: number;
  message: string;
  fix: string;
}

export type Emit = (f: {
  file: string;
  line: number;
  message: string;
  severity?: Severity;
  ignored?: readonly string[];
  /** The services the finding is about; findings in a Dockerfile get the services that build it when not given. */
  services?: readonly string[];
}) => void;

export interface Rule {
  id: string;
  category: Category;
  severity: Severity;
  title: string;
  why: string;
  fix: string;
  check(input: AuditInput, emit: Emit): void;
}

export function rule(r: Rule): Rule {
  return r;
}
