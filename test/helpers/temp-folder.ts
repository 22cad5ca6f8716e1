/**
 * Vitest global set-up: one temp folder per run. Every test (and every CLI, compose or docker client it spawns)
 * writes its temp repos, caches and secret files there, because TMPDIR points at it before the workers start and
 * os.tmpdir() reads TMPDIR; it is removed after the last file, also when tests failed. A day of runs used to leave
 * some 20,000 folders in /tmp.
 *
 * What a run still leaves in the machine's own temp folder (code that ignores TMPDIR) is written to a report, which
 * `./task test` turns into a failure.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cacheRoot } from '../../packages/tasks/src/registry/cache.cjs';

export const TEMP_REPORT = path.resolve(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'test-temp-leftovers.json');
/** The run's folder: short, because sockets live under it (gpg-agent's, a daemon's) and a socket path has <= 107 bytes. */
export const RUN_PREFIX = 'promtior-test-';

/**
 * Names a test or the tasks create in a temp folder: `prefix-XXXXXX` (mkdtemp) or promtior-... (the tasks' work
 * folders). Anything else new in /tmp during a run belongs to someone else on a shared machine.
 */
const OURS = /^(?:[a-z][a-z0-9]*(?:-[a-z0-9]+)*-[A-Za-z0-9]{6}|promtior-.+)$/;

/** What the run added to the machine's temp folder, of the shapes the tests and tasks use (their own folder aside). */
export function newTempEntries(dir: string, before: ReadonlySet<string>, runDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => !before.has(n) && path.join(dir, n) !== runDir && OURS.test(n))
    .filter((n) => !n.startsWith(RUN_PREFIX)) // a concurrent run's own folder, removed by that run
    .sort();
}

/** Removes a folder a test may have left unreadable or unwritable (a chmod 000 fixture), as a non-root user too. */
export function removeTree(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    return;
  } catch {
    // Fall through: open up what a test locked, then remove again.
  }
  const openUp = (p: string) => {
    try {
      const st = lstatSync(p);
      if (!st.isDirectory()) return;
      chmodSync(p, 0o700);
      for (const n of readdirSync(p)) openUp(path.join(p, n));
    } catch {
      // Gone meanwhile, or not ours to open: rmSync below says so.
    }
  };
  openUp(dir);
  rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
}

export default function setup(): () => void {
  const machineTmp = realpathSync(tmpdir());
  const before = new Set(readdirSync(machineTmp));
  const runDir = realpathSync(mkdtempSync(path.join(machineTmp, RUN_PREFIX)));
  // Like /tmp itself: a test may run the CLI as another user, which must reach (and may write) temp files too.
  chmodSync(runDir, 0o1777);
  const saved = {
    TMPDIR: process.env.TMPDIR,
    TMP: process.env.TMP,
    TEMP: process.env.TEMP,
    XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
    NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE,
  };
  // Node's compile cache stays the user's, the CLI's own folder (it is keyed by source file; a cold one costs ~1 s of
  // compiling per worker).
  const userCache = cacheRoot(process.env);
  if (userCache && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = path.join(userCache, 'compile');
  // The workers are started after the global set-up, with this process's environment: they and their children inherit it.
  process.env.TMPDIR = runDir;
  process.env.TMP = runDir;
  process.env.TEMP = runDir;
  // The CLI's per-user cache too: the manifests, completion and prefetch files of the tests' temp repos go with the
  // run's folder, never into the user's ~/.cache (a run left some 35 files there, for folders already gone).
  process.env.XDG_CACHE_HOME = path.join(runDir, 'xdg-cache');
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    removeTree(runDir);
    const left = newTempEntries(machineTmp, before, runDir).map((n) => path.join(machineTmp, n));
    // `./task test` runs the engine tests as a second vitest run beside the first: that one names its own report.
    const report = process.env.PROMTIOR_TEST_TEMP_REPORT ?? TEMP_REPORT;
    mkdirSync(path.dirname(report), { recursive: true });
    writeFileSync(report, `${JSON.stringify(left, null, 2)}\n`);
  };
}
