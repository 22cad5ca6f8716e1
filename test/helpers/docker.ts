/** Facts about the real Docker engine for end-to-end tests. A missing engine fails loudly, never skips. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { BIN, cliEnv, ROOT } from './cli.ts';
import { DOCKER } from './leftovers.ts';

/** The client with BuildKit built in on Debian; $DOCKER overrides, as for the CLI (found as leftovers.ts finds it). */
export { DOCKER };

export function docker(...args: string[]): string {
  const r = spawnSync(DOCKER, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${DOCKER} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Throws a clear error when no engine answers: these tests may be deselected only with `./task test --no-docker`. */
export function requireEngine(): void {
  const r = spawnSync(DOCKER, ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(
      `These tests need a running Docker engine and ${DOCKER} info failed: ${r.stderr.trim()}. Start dockerd (as .ci/run does), or deselect them explicitly with ./task test --no-docker.`,
    );
  }
}

/**
 * The engine, and the offline stand-in images the assets build from here (built once, then cached by tag). When all
 * three tags are there, `task docker-offline-images` would only say "cached" for each: one inspect answers the same
 * question without starting the CLI (about a second per file, in the 20-odd files that call this).
 */
export function requireEngineAndImages(): void {
  requireEngine();
  const tags = Object.values(OFFLINE_IMAGES);
  if (spawnSync(DOCKER, ['image', 'inspect', '--format', '{{.Id}}', ...tags], { stdio: 'ignore' }).status === 0) return;
  // Two engine runs side by side (./task test) may both find them missing: one builds, the other waits for it under
  // the same lock and then finds them cached (two builds at once would share one root file system folder).
  mkdirSync(path.dirname(IMAGES_LOCK), { recursive: true });
  const r = spawnSync('flock', ['-o', IMAGES_LOCK, process.execPath, BIN, '--', 'docker-offline-images'], { cwd: ROOT, env: cliEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`task docker-offline-images failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

const IMAGES_LOCK = path.join(ROOT, 'node_modules', '.cache', 'offline-images.lock');

/** Everything Docker holds that a task could change: containers, images, volumes, networks. */
export function engineState(): string {
  return [
    docker('ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}} {{.Status}}'),
    docker('images', '-a', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'),
    docker('volume', 'ls', '--format', '{{.Name}}'),
    docker('network', 'ls', '--no-trunc', '--format', '{{.ID}} {{.Name}}'),
  ]
    .map((s) => s.split('\n').filter(Boolean).sort().join('\n'))
    .join('\n---\n');
}

/** Path, mode and content hash of every file under dir (node_modules links not followed). */
export function treeState(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (name === 'node_modules') continue;
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.push(`${path.relative(dir, p)} ${st.mode.toString(8)} ${st.mtimeMs} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return out.join('\n');
}
