/** What every benchmark suite shares: timing, medians, running the real CLI, and the figures they record. */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunContext } from '@promtior/tasks';

export const root = path.resolve(import.meta.dirname, '..', '..');
export const cli = path.join(root, 'packages', 'tasks', 'bin', 'task.js');
export const docker = process.env.DOCKER ?? '/usr/bin/docker';

/** One measured figure. Docs quote figures from the results file the bench writes, never by hand. */
export interface Figure {
  /** Stable key, `suite.name`. */
  id: string;
  value: number;
  unit: string;
  /** The sentence shown in the bench output and the docs. */
  text: string;
}

/** What a suite gets: the task's run context and a way to record figures. */
export interface BenchContext {
  rt: RunContext;
  runs: number;
  record(figure: Figure): void;
  /**
   * Whether the part of a suite that records figures with ids starting `id` is to run (`--only`). Suites split
   * into parts ask it; a suite that does not runs whole.
   */
  wants(id: string): boolean;
}

export type Suite = (b: BenchContext) => Promise<void>;

export function timeOnce(argv: string[], cwd = root): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0] as string, argv.slice(1), { cwd, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export function task(args: string[], cwd: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [cli, '--', ...args], { cwd, env: { ...process.env, CI: 'true', ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`task ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

export function dockerOut(...args: string[]): string {
  return spawnSync(docker, args, { encoding: 'utf8' }).stdout.trim();
}

/** A temp copy of the example service with its own .env; removed with everything it started. */
export function exampleProject(port: number, extraEnv: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-'));
  cpSync(path.join(root, 'docker', 'assistant', 'pyproject.toml'), path.join(dir, 'pyproject.toml'));
  cpSync(path.join(root, 'docker', 'assistant', 'src'), path.join(dir, 'src'), { recursive: true });
  const env = { ADMIN_REINGEST_KEY: 'bench-admin-key-0123456789abcdef', APP_PORT: String(port), ...extraEnv };
  writeFileSync(
    path.join(dir, '.env'),
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  return dir;
}

/** Peak resident memory of a process tree's root, sampled from /proc every 20 ms while it runs. */
export function runWithPeakRss(args: string[], cwd: string): Promise<{ ms: number; peakMb: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [cli, '--', ...args], { cwd, env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let peak = 0;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const timer = setInterval(() => {
      try {
        const rss = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
        peak = Math.max(peak, rss);
      } catch {
        // exited
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`task ${args.join(' ')} failed (${code})`));
      else resolve({ ms: Date.now() - started, peakMb: peak / 1024, stdout });
    });
  });
}
