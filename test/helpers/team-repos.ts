/**
 * The corpus of team repos (test/fixtures/team-repos/<shape>): a copy in a temp folder, the stand-in image their
 * database and cache services run (no public image registry here), and the data their named volumes hold.
 */

import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { ROOT, tempRepo } from './cli.ts';
import { DOCKER, docker } from './docker.ts';

export const CORPUS = path.join(ROOT, 'test', 'fixtures', 'team-repos');
/** The tag the fixtures' compose files name for their database and cache services. */
export const KV_IMAGE = 'promtior-fixture/kv:1';

export interface TeamRepo {
  dir: string;
  /** Compose project name (the folder's). */
  name: string;
}

/**
 * A copy of the shape in a fresh folder. `renameOf` (given the compose project name) lists words to replace in its
 * Makefile and compose file: a volume name outside any project is global on the engine, so tests make it unique.
 */
export function teamRepo(shape: string, renameOf: (name: string) => Record<string, string> = () => ({})): TeamRepo {
  const dir = tempRepo();
  const name = path
    .basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
  const rename = renameOf(name);
  cpSync(path.join(CORPUS, shape), dir, { recursive: true });
  for (const file of ['Makefile', 'docker-compose.yml']) {
    const p = path.join(dir, file);
    try {
      let text = readFileSync(p, 'utf8');
      for (const [from, to] of Object.entries(rename)) text = text.split(from).join(to);
      writeFileSync(p, text);
    } catch {
      // The shape has no such file.
    }
  }
  return { dir, name };
}

/** Builds the key-value stand-in on the offline Python base (cached by the engine after the first time). */
export function buildKvImage(): void {
  const r = spawnSync(DOCKER, ['build', '--quiet', '--build-arg', `BASE=${OFFLINE_IMAGES.PYTHON_IMAGE}`, '--tag', KV_IMAGE, path.join(CORPUS, '_kv')], {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
  });
  if (r.status !== 0) throw new Error(`building ${KV_IMAGE} failed: ${r.stderr}`);
}

/** A volume as compose would have made it for `project` (its label), holding `files`. */
export function seedVolume(volume: string, files: Record<string, string>, project?: string): void {
  docker(
    'volume',
    'create',
    ...(project ? ['--label', `com.docker.compose.project=${project}`, '--label', `com.docker.compose.volume=${volume.slice(project.length + 1)}`] : []),
    volume,
  );
  const script = Object.entries(files)
    .map(([name, text]) => `printf '%s' '${text.replace(/'/g, `'\\''`)}' > /v/${name}`)
    .join(' && ');
  docker('run', '--rm', '--network', 'none', '-v', `${volume}:/v`, '--entrypoint', 'sh', OFFLINE_IMAGES.PYTHON_IMAGE, '-c', `${script} && chmod -R a+rX /v`);
}

/** A file of a volume, as bytes in a string. */
export function fileInVolume(volume: string, name: string): string {
  return docker('run', '--rm', '--network', 'none', '-v', `${volume}:/v:ro`, '--entrypoint', 'cat', OFFLINE_IMAGES.PYTHON_IMAGE, `/v/${name}`);
}

export function removeVolumes(names: readonly string[]): void {
  for (const v of names) spawnSync(DOCKER, ['volume', 'rm', '-f', v], { stdio: 'ignore' });
}
