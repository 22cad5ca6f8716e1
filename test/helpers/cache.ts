/** The CLI's per-user cache in tests: a folder of its own per test, and files aged as if written a while ago. */
import { lutimesSync, mkdtempSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** An XDG cache home for one test, so the CLI's caches start empty and are seen by nothing else. */
export function cacheHome(): { env: { XDG_CACHE_HOME: string }; root: string } {
  const home = realpathSync(mkdtempSync(path.join(tmpdir(), 'xdg-cache-')));
  return { env: { XDG_CACHE_HOME: home }, root: path.join(home, 'promtior-tasks') };
}

/** How the cache names a folder's files (registry/cache.cjs projectKey). */
export function cacheKey(dir: string): string {
  return dir.replace(/%/g, '%25').replace(/\//g, '%2F');
}

export const manifestFile = (root: string, dir: string) => path.join(root, 'manifests', `${cacheKey(dir)}.json`);
export const shellCacheFile = (root: string, dir: string) => path.join(root, 'complete', cacheKey(dir));

/**
 * Moves the modification times of everything under `dir` (not node_modules, not through symlinks) `seconds` back:
 * the same as waiting that long. The CLI caches nothing younger than 2 s (cli/project.ts), so tests age files.
 */
export function age(dir: string, seconds: number): void {
  const t = Date.now() / 1000 - seconds;
  const walk = (p: string) => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const child = path.join(p, e.name);
      if (e.isDirectory()) walk(child);
      lutimesSync(child, t, t);
    }
  };
  walk(dir);
  lutimesSync(dir, t, t);
}
