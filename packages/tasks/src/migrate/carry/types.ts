/**
 * What migrate carries over from a repo's old set-up, collected while reading it: every old line gets a mapping
 * (carried to a setting, done by the template, not carried and why, or "needs you"), so nothing is dropped
 * silently; the settings go to tasks.config.ts, .env, and the compose file.
 */
import { compareText } from '../../text/compare.ts';

/** Where an old setting was written. */
export interface Source {
  file: string;
  line: number;
  /** The line as written (shortened), secrets masked by the caller's output. */
  text: string;
}

export type Verdict = 'carried' | 'template' | 'not carried' | 'needs you';

export interface Mapping {
  from: Source;
  verdict: Verdict;
  /** The new setting, or why. */
  to: string;
}

/** A variable of the repo's own schema (tasks.config.ts `env`). */
export interface TeamVar {
  key: string;
  /** The value found (a non-secret becomes the default; a secret goes to .env). */
  value?: string;
  secret: boolean;
  required: boolean;
  description: string;
  /** Passed to the app container by the compose file (not only used by compose or the build). */
  toApp: boolean;
}

export type YamlMap = Record<string, unknown>;

export interface Carry {
  preset: 'assistant' | 'none';
  /** Values for variables of the shared schema (APP_PORT, APP_COMMAND...): tasks.config.ts `defaults`. */
  defaults: Record<string, string>;
  vars: Map<string, TeamVar>;
  /** Secret values found in old ENV lines or compose files: they move to .env. */
  secrets: { key: string; value: string; from: Source }[];
  /** The image name the team used (tasks.config.ts `image`). */
  image?: string;
  /** The compose service the app is (the team's name is kept: DNS names and habits stay). */
  appService: string;
  /** Compose keys of the old app service carried onto the new one as they were. */
  app: YamlMap;
  /** Other services, as compose read them. */
  services: Record<string, YamlMap>;
  /** Top-level named volumes, networks, secrets, configs and x- fields of the old compose file. */
  top: { volumes: YamlMap; networks: YamlMap; other: YamlMap };
  /** The assistant's Ollama service is kept (the template's), with the old volume names and ports. */
  ollama?: { volumes: string[]; ports: unknown[] };
  mapping: Mapping[];
  warnings: string[];
}

export function newCarry(appService = 'app'): Carry {
  return {
    preset: 'none',
    defaults: {},
    vars: new Map(),
    secrets: [],
    appService,
    app: {},
    services: {},
    top: { volumes: {}, networks: {}, other: {} },
    mapping: [],
    warnings: [],
  };
}

export function map(carry: Carry, from: Source, verdict: Verdict, to: string): void {
  carry.mapping.push({ from, verdict, to });
}

export function needsYou(carry: Carry): Mapping[] {
  return sortMapping(carry.mapping.filter((m) => m.verdict === 'needs you'));
}

/** In reading order: the Dockerfile, the compose file, the Makefile, then the rest, each by line. */
export function sortMapping(list: readonly Mapping[]): Mapping[] {
  const rank = (file: string) => {
    const i = ['Dockerfile', 'docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml', 'Makefile'].indexOf(file);
    return i < 0 ? 99 : i;
  };
  return [...list].sort((a, b) => rank(a.from.file) - rank(b.from.file) || compareText(a.from.file, b.from.file) || a.from.line - b.from.line);
}

/** `Dockerfile:3  ENV A=b  ->  A (tasks.config.ts env)`: one line of the printed mapping. */
export function mappingLine(m: Mapping): string {
  const arrow = m.verdict === 'carried' ? '->' : m.verdict === 'template' ? '=> template:' : m.verdict === 'not carried' ? 'x  not carried:' : '!! needs you:';
  return `${m.from.file}:${m.from.line}  ${m.from.text}  ${arrow} ${m.to}`;
}
