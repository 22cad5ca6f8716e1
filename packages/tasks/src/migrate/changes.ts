/**
 * What migrating a repo changes, computed from its files and the assets package without touching anything: the
 * seed's option A (`replace`) or option B (`keep-both`, the new files beside the old ones), with the old set-up
 * carried over (migrate/carry/) into the compose files, tasks.config.ts and .env.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { assetPath } from '@promtior/docker-assets';
import { renderEnvExample } from '@promtior/env';
import type { RepoConfig } from '../config/schema.ts';
import { specFor } from '../workflow/env.ts';
import { type OldSetup, readOldSetup } from './carry/old-setup.ts';
import { map } from './carry/types.ts';
import { rewriteMakefile } from './makefile.ts';
import { renderCompose, renderDevCompose } from './write/compose.ts';
import { renderConfig } from './write/config-file.ts';
import { mergeDockerignore } from './write/dockerignore.ts';
import { envWithSecrets } from './write/env-file.ts';

export const STRATEGIES = ['replace', 'keep-both'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface Change {
  /** Relative to the project folder. */
  path: string;
  kind: 'add' | 'replace';
  /** The bytes it will have. */
  content: string;
  /** The bytes it has now (replace), for the diff and the local-edit check. */
  before?: string;
}

export interface Migration {
  setup: OldSetup;
  changes: Change[];
  /** The configuration the repo has after migrating (what validation and the proof run with). */
  config: RepoConfig;
  /** The Docker files the migrated repo uses, relative to the project. */
  files: { dockerfile: string; full: string[]; dev: string[] };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function asset(name: Parameters<typeof assetPath>[0]): string {
  return readFileSync(assetPath(name), 'utf8');
}

export interface MigrationInput {
  dir: string;
  project: string;
  strategy: Strategy;
  /** Where the old set-up's files are read from on a second run: the first migrate's backup. */
  configFrom?: string;
  /** The repo's configuration now (tasks.config.ts, if it has one). */
  current: RepoConfig;
  /** tasks.config.ts can be written: it is in the project folder and the repo has none of its own. */
  canWriteConfig: boolean;
}

export function planMigration(input: MigrationInput): Migration {
  const { dir, strategy } = input;
  const setup = readOldSetup(dir, input.project, input.configFrom);
  const { carry, repo } = setup;
  const read = (rel: string) => (existsSync(path.join(dir, rel)) ? readFileSync(path.join(dir, rel), 'utf8') : undefined);
  const replace = strategy === 'replace';
  const files = replace
    ? { dockerfile: 'Dockerfile', full: ['docker-compose.yml'], dev: ['docker-compose.yml', 'docker-compose.dev.yml'] }
    : { dockerfile: 'Dockerfile.optimized', full: ['docker-compose.full.yml'], dev: ['docker-compose.full.yml', 'docker-compose.dev.yml'] };
  const image = carry.image ?? (carry.preset === 'assistant' ? 'promtior-assistant:latest' : `${input.project}:latest`);
  const compose = renderCompose(setup, asset('docker-compose.full.yml'), { dockerfile: files.dockerfile, image });
  const ignore = mergeDockerignore(asset('.dockerignore'), repo.read('.dockerignore'));
  for (const d of ignore.dropped)
    map(carry, { file: '.dockerignore', line: d.line, text: d.text }, 'not carried', 'it would let secrets into the build context');
  const config: RepoConfig = {
    ...(input.canWriteConfig ? {} : input.current),
    preset: carry.preset,
    image,
    composeFiles: { full: files.full, dev: files.dev },
    ...(Object.keys(carry.defaults).length > 0 ? { defaults: carry.defaults } : {}),
    ...(carry.vars.size > 0 ? { env: Object.fromEntries([...carry.vars.values()].map((v) => [v.key, envEntry(v)])) } : {}),
  };
  const wanted: { path: string; content: string | undefined }[] = [
    { path: files.dockerfile, content: asset('Dockerfile') },
    { path: files.full[0] as string, content: compose },
    { path: 'docker-compose.dev.yml', content: renderDevCompose(setup, asset('docker-compose.dev.yml')) },
    replace || read('.dockerignore') === undefined
      ? { path: '.dockerignore', content: ignore.text }
      : { path: 'Dockerfile.optimized.dockerignore', content: ignore.text },
    { path: '.env', content: envWithSecrets(read('.env'), carry.secrets) },
  ];
  if (input.canWriteConfig)
    wanted.push({ path: 'tasks.config.ts', content: renderConfig(setup, { image, composeFiles: { full: files.full, dev: files.dev } }) });
  else
    map(
      carry,
      { file: 'tasks.config.ts', line: 1, text: '' },
      'needs you',
      `the repo has its own configuration: add ${JSON.stringify({ preset: config.preset, image, composeFiles: config.composeFiles, defaults: config.defaults })} and the env entries by hand`,
    );
  if (read('.env.example') === undefined) wanted.push({ path: '.env.example', content: renderEnvExample(specFor(config)) });
  const makefile = read('Makefile');
  if (makefile !== undefined) wanted.push({ path: 'Makefile', content: rewriteMakefile(makefile).text });
  const changes = wanted
    .filter((w): w is { path: string; content: string } => w.content !== undefined)
    .map((w) => {
      const before = read(w.path);
      return before === undefined
        ? { path: w.path, kind: 'add' as const, content: w.content }
        : { path: w.path, kind: 'replace' as const, content: w.content, before };
    })
    .filter((c) => c.before !== c.content);
  return { setup, changes, config, files };
}

function envEntry(v: { description: string; value?: string; secret: boolean; required: boolean }) {
  return {
    description: v.description,
    ...(!v.secret && v.value !== undefined ? { default: v.value } : {}),
    ...(v.secret ? { secret: true } : {}),
    ...(v.required ? { required: true } : {}),
  };
}
