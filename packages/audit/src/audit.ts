/** Runs every rule over a folder's Docker files; applies inline and file ignores; scores the rest. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditInput, Finding, Rule } from './model.ts';
import { loadCompose } from './parse/compose.ts';
import { parseDockerfile } from './parse/dockerfile.ts';
import { parseDockerignore } from './parse/dockerignore.ts';
import { ALL_RULES } from './rules/all.ts';
import { type Score, score } from './score.ts';

export interface AuditOptions {
  dir: string;
  /** Dockerfiles to read (default: Dockerfile, Dockerfile.optimized, *.Dockerfile in dir). */
  dockerfiles?: readonly string[];
  /** Compose files in merge order (default: the base file, then its overrides, in dir). */
  composeFiles?: readonly string[];
  /** Variables for `${VAR}` interpolation (the project's .env and the shell). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The .dockerignore that applies (default: the folder's own). */
  dockerignore?: string;
  /** Ignores from a config file: each with a reason. */
  ignores?: readonly { rule: string; file?: string; reason: string }[];
}

export interface AuditReport {
  files: string[];
  score: Score;
  findings: Finding[];
  /** Findings silenced by an inline or config ignore, with why. */
  ignored: (Finding & { reason: string })[];
}

/** What compose itself reads by default: the first base file found, then the standard override. */
const COMPOSE_BASE = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml', 'docker-compose.full.yml'];
const COMPOSE_OVERRIDE = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

export function defaultFiles(dir: string): { dockerfiles: string[]; composeFiles: string[] } {
  const names = existsSync(dir) ? readdirSync(dir) : [];
  const dockerfiles = names.filter((n) => /^Dockerfile(\.[\w-]+)?$/.test(n) && !n.endsWith('.dockerignore')).sort();
  const base = COMPOSE_BASE.find((n) => names.includes(n));
  const composeFiles = base ? [base, ...COMPOSE_OVERRIDE.filter((n) => names.includes(n))] : [];
  return { dockerfiles, composeFiles };
}

export function loadInput(opts: AuditOptions): AuditInput {
  const defaults = defaultFiles(opts.dir);
  const rel = (f: string) => path.relative(opts.dir, path.resolve(opts.dir, f)) || f;
  const read = (f: string) => readFileSync(path.resolve(opts.dir, f), 'utf8');
  const dockerfiles = (opts.dockerfiles ?? defaults.dockerfiles).map((f) => parseDockerfile(rel(f), read(f)));
  const composeFiles = opts.composeFiles ?? defaults.composeFiles;
  const compose =
    composeFiles.length > 0
      ? loadCompose(
          composeFiles.map((f) => ({ file: rel(f), text: read(f) })),
          opts.env ?? {},
        )
      : undefined;
  const ignoreFile = path.resolve(opts.dir, opts.dockerignore ?? '.dockerignore');
  return {
    dir: opts.dir,
    dockerfiles,
    compose,
    dockerignore: existsSync(ignoreFile) ? parseDockerignore(rel(ignoreFile), readFileSync(ignoreFile, 'utf8')) : undefined,
    contextFiles: existsSync(opts.dir) ? readdirSync(opts.dir) : [],
  };
}

export function runAudit(input: AuditInput, opts: Pick<AuditOptions, 'ignores'> = {}, rules: readonly Rule[] = ALL_RULES): AuditReport {
  const findings: Finding[] = [];
  const ignored: AuditReport['ignored'] = [];
  for (const r of rules) {
    r.check(input, (f) => {
      const finding: Finding = {
        rule: r.id,
        category: r.category,
        severity: f.severity ?? r.severity,
        file: f.file,
        line: f.line,
        message: f.message,
        why: r.why,
        fix: r.fix,
      };
      const config = opts.ignores?.find((i) => i.rule === r.id && (!i.file || i.file === f.file));
      if (f.ignored?.includes(r.id)) ignored.push({ ...finding, reason: `inline audit-ignore at ${f.file}:${f.line}` });
      else if (config) ignored.push({ ...finding, reason: config.reason });
      else findings.push(finding);
    });
  }
  for (const e of input.compose?.errors ?? []) {
    findings.push({
      rule: 'AUDIT-000',
      category: 'attack-surface',
      severity: 'high',
      file: e.file,
      line: e.line,
      message: `the file does not parse: ${e.message}`,
      why: 'A broken file cannot be checked (or run).',
      fix: 'Fix the YAML at that line.',
    });
  }
  const order = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
  findings.sort((a, b) => order[a.severity] - order[b.severity] || a.file.localeCompare(b.file) || a.line - b.line);
  const files = [...input.dockerfiles.map((d) => d.file), ...(input.compose?.files ?? []), ...(input.dockerignore ? [input.dockerignore.file] : [])];
  return { files, score: score(findings), findings, ignored };
}
