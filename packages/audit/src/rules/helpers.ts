/** What several rules need to know about a build: which stage runs, as which user, from which image. */

import type { AuditInput } from '../model.ts';
import type { Compose, ComposeValue, Service } from '../parse/compose.ts';
import { type Dockerfile, finalStage, type Instruction, lineage, type Stage } from '../parse/dockerfile.ts';

export interface Runtime {
  df: Dockerfile;
  stage: Stage;
  /** The compose service that builds it, if any. */
  service?: Service;
}

/** Every runtime image: each compose service that builds from a Dockerfile (its build.target), or each Dockerfile's last stage. */
export function runtimes(input: AuditInput): Runtime[] {
  const out: Runtime[] = [];
  const built = input.compose?.services.filter((s) => s.config.build !== undefined) ?? [];
  for (const df of input.dockerfiles) {
    const using = built.filter((s) => {
      const b = s.config.build as Record<string, ComposeValue> | string;
      const dockerfile = typeof b === 'object' && b ? String(b.dockerfile ?? 'Dockerfile') : 'Dockerfile';
      return df.file.endsWith(dockerfile.replace(/^.*\$\{[^}]*\}/, '')) || built.length === 1;
    });
    if (using.length === 0) {
      const stage = finalStage(df);
      if (stage) out.push({ df, stage });
      continue;
    }
    for (const service of using) {
      const b = service.config.build as Record<string, ComposeValue> | string;
      const target = typeof b === 'object' && b && b.target ? String(b.target) : undefined;
      const stage = finalStage(df, target) ?? finalStage(df);
      if (stage) out.push({ df, stage, service });
    }
  }
  return out;
}

/** Images known to run as a non-root user by default. */
const NON_ROOT_BASES = [/distroless.*:(debug-)?nonroot/, /^cgr\.dev\/chainguard\/(?!.*-dev)/, /^gcr\.io\/distroless\/.*nonroot/];

/** The user the stage runs as: its last USER, else its parents', else the base image's default. */
export function effectiveUser(stage: Stage): { user: string; from?: Instruction; inherited: boolean } {
  for (const s of lineage(stage)) {
    const users = s.instructions.filter((i) => i.cmd === 'USER');
    const last = users[users.length - 1];
    if (last) return { user: last.args.trim(), from: last, inherited: s !== stage };
  }
  const base = lineage(stage).at(-1)?.image ?? '';
  return { user: NON_ROOT_BASES.some((re) => re.test(base)) ? 'nonroot' : 'root', inherited: true };
}

export function isRootUser(user: string): boolean {
  const name = user.split(':')[0]?.trim() ?? '';
  return name === 'root' || name === '0' || name === '';
}

export function runInstructions(stage: Stage): Instruction[] {
  return stage.instructions.filter((i) => i.cmd === 'RUN');
}

export function str(v: ComposeValue | undefined): string {
  return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function obj(v: ComposeValue | undefined): Record<string, ComposeValue> {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

export function list(v: ComposeValue | undefined): ComposeValue[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

export function servicePath(s: Service, key?: string): string {
  return key ? `services.${s.name}.${key}` : `services.${s.name}`;
}

/** Where a compose setting is, with its inline ignores (rules only call this when there is a compose file). */
export function at(compose: Compose | undefined, path: string) {
  if (!compose) return { file: 'compose', line: 1, ignored: [] };
  return { ...compose.where(path), ignored: compose.ignored(path) };
}

/** Names that say "secret". */
export const SECRET_NAME =
  /(pass(word|wd)?|secret|token|api[_-]?key|apikey|private[_-]?key|credential|auth|access[_-]?key|pat)$|^(.*_)?(password|secret|token|api_?key)(_.*)?$/i;

/** Values that are obviously placeholders rather than real secrets. */
export const MOCK_VALUE =
  /^(|changeme|change-me|changeit|example|dummy|test|testing|mock|fake|placeholder|xxx+|\*+|<.*>|your[_-].*|replace[_-]?me|secret|password|todo)$/i;

/** Values that look like real credentials whatever the variable is called. */
export const CREDENTIAL_VALUE = [
  /AKIA[0-9A-Z]{16}/,
  /gh[pousr]_[A-Za-z0-9]{30,}/,
  /sk-[A-Za-z0-9_-]{20,}/,
  /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/,
  /[a-z][\w+.-]*:\/\/[^/\s:@]+:[^/\s@]{3,}@/i,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];
