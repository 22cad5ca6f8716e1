/** Spawns the real CLI in a temp folder (changesets-style inline file trees) and captures what it did. */
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const BIN = path.join(ROOT, 'packages', 'tasks', 'bin', 'task.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for "is it anywhere" checks. */
  all: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** Environment for a child CLI: plain output, no inherited secrets of the assistant's schema. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1' };
  for (const k of ['ADMIN_REINGEST_KEY', 'OPENAI_API_KEY', 'LLM_PROVIDER', 'APP_PORT', 'ENVIRONMENT']) delete env[k];
  return { ...env, ...extra };
}

export function runCli(args: readonly string[], opts: RunOptions = {}): CliResult {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, '--', ...args], {
    cwd: opts.cwd ?? ROOT,
    env: cliEnv(opts.env),
    encoding: 'utf8',
    timeout: 600_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}

export interface AsyncCliResult extends CliResult {
  /** The signal that ended the CLI (a crash test's SIGKILL), or null when it exited. */
  signal: NodeJS.Signals | null;
}

/**
 * runCli without blocking the test's process: a file can run independent CLIs side by side (each in its own temp
 * folder, or `describe.concurrent` cases that mostly wait on the engine), so their waits overlap. With `timeoutMs`,
 * the CLI then gets Ctrl-C's SIGINT (it removes what it started, as for a user) and SIGKILL 30 s later: keep it under
 * the test's timeout, so a slow run fails with its own output and leaves no CLI running after the test.
 */
export function runCliAsync(args: readonly string[], opts: RunOptions = {}, timeoutMs?: number): Promise<AsyncCliResult> {
  return new Promise((resolve, reject) => {
    const child = startCli(args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    let killer: NodeJS.Timeout | undefined;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGINT');
            killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          }, timeoutMs);
    const settle = () => {
      clearTimeout(timer);
      clearTimeout(killer);
    };
    child.on('error', (e) => {
      settle();
      reject(e);
    });
    child.on('close', (code, signal) => {
      settle();
      resolve({ code, signal, stdout, stderr, all: `${stdout}\n${stderr}` });
    });
  });
}

/** Runs `jobs` with at most `limit` of them at a time; the results in the order of the jobs. */
export async function inBatches<T>(limit: number, jobs: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    // After a failure no new job starts: the test is failing anyway, and its report should not wait on the rest.
    while (next < jobs.length && !failed) {
      const i = next++;
      try {
        results[i] = await (jobs[i] as () => Promise<T>)();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** Starts the CLI without waiting, for signal tests. */
export function startCli(args: readonly string[], opts: RunOptions = {}) {
  return spawn(process.execPath, [BIN, '--', ...args], { cwd: opts.cwd ?? ROOT, env: cliEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * A temp folder with the given files. Its node_modules links @promtior/tasks and zod to this workspace's,
 * so its own tasks/*.ts import them as a consumer repo would.
 */
export function tempRepo(files: Record<string, string> = {}): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'task-e2e-')));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  mkdirSync(path.join(dir, 'node_modules', '@promtior'), { recursive: true });
  symlinkSync(path.join(ROOT, 'packages', 'tasks'), path.join(dir, 'node_modules', '@promtior', 'tasks'));
  symlinkSync(realpathSync(path.join(ROOT, 'node_modules', 'zod')), path.join(dir, 'node_modules', 'zod'));
  return dir;
}

export const GOOD_KEY = 'a3f1c9e07b2d48e5a3f1c9e07b2d48e5';
