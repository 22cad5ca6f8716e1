/** The CLI's per-user cache in tests: a folder of its own per test, and files aged as if written a while ago. */
import { lutimesSync, mkdirSync, mkdtempSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * An XDG cache home for one test, so the CLI's caches (manifests, shell completion, prefetch) start empty and are seen
 * by nothing else. Node's compile cache is the exception: a fresh one made each CLI's first start cost ~1.8 s instead
 * of ~0.7 s (compiling every module again), and no test but the one about that folder looks at it, so the CLI gets a
 * compile cache shared by the whole run through NODE_COMPILE_CACHE (the CLI then leaves its own compile folder alone:
 * cli/start.cjs). `ownCompileCache` keeps the CLI's own, for the test that checks it.
 */
export function cacheHome(opts: { ownCompileCache?: boolean } = {}): { env: { XDG_CACHE_HOME: string; NODE_COMPILE_CACHE: string | undefined }; root: string } {
  const home = realpathSync(mkdtempSync(path.join(tmpdir(), 'xdg-cache-')));
  return {
    // undefined: the CLI gets no NODE_COMPILE_CACHE, not even the run's (test/helpers/temp-folder.ts sets one).
    env: { XDG_CACHE_HOME: home, NODE_COMPILE_CACHE: opts.ownCompileCache ? undefined : sharedCompileCache() },
    root: path.join(home, 'promtior-tasks'),
  };
}

/**
 * One compile cache for the run, in its temp folder (TMPDIR, removed at the end: test/helpers/temp-folder.ts), mode
 * 0700 as the CLI's own. CLIs running side by side share it as those of the tests that use the real per-user cache
 * share its compile folder (Node checks an entry against the source before it uses it).
 */
export function sharedCompileCache(): string {
  const dir = path.join(tmpdir(), 'node-compile-cache');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
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
