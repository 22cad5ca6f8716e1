/**
 * The release flow of this workspace, on a throwaway copy: `changeset version` rewrites versions and changelogs,
 * which must never happen to the checkout under test. The copy holds the tracked (and new, not ignored) files of the
 * root, `.changeset/` and `packages/`, is a git repository of its own (changesets tags releases), and shares this
 * checkout's installed dependencies (root node_modules linked, the packages' own pnpm links copied as links).
 * Where to publish comes from npm config only (the registry helper's npmrc): nothing here names a registry.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './cli.ts';

export interface Run {
  code: number | null;
  /** stdout and stderr together. */
  out: string;
  stdout: string;
}

const quiet = (env: Record<string, string>) => ({ ...process.env, CI: 'true', NO_COLOR: '1', ...env });

/** Runs a command quietly (CI=true: no spinners) and returns its status and all it printed. */
export function run(argv: readonly string[], cwd: string, env: Record<string, string> = {}): Run {
  const [bin = '', ...args] = argv;
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', env: quiet(env), timeout: 300_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`, stdout: r.stdout ?? '' };
}

/** run, without blocking: commands of two repos (or two releases) go side by side. Never rejects. */
export function runAsync(argv: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const [bin = '', ...args] = argv;
  return new Promise((resolve) => {
    execFile(bin, args, { cwd, encoding: 'utf8', env: quiet(env), timeout: 300_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      const failed = error && typeof error.code !== 'number' ? String(error) : '';
      resolve({ code, out: `${stdout}${stderr}${failed}`, stdout });
    });
  });
}

function succeeded(r: Run, argv: readonly string[], cwd: string): string {
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed (${r.code}) in ${cwd}:\n${r.out}`);
  return r.out;
}

/** Like run, but a failure throws with the command and its output. */
export function must(argv: readonly string[], cwd: string, env: Record<string, string> = {}): string {
  return succeeded(run(argv, cwd, env), argv, cwd);
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=release-test', '-c', 'user.email=release@test.invalid', ...args], { cwd: dir, stdio: 'pipe' });
}

/** A git repository with one commit of what is there (the release tools read and tag git). */
export function gitInit(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'release test');
}

export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
}

/** A copy of the workspace to release from (see the module comment). */
export function releaseCopy(): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'task-e2e-release-')));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && (!f.includes('/') || f.startsWith('.changeset/') || f.startsWith('packages/')));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(ROOT, f), path.join(dir, f), { verbatimSymlinks: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  for (const p of readdirSync(path.join(ROOT, 'packages'))) {
    const own = path.join(ROOT, 'packages', p, 'node_modules');
    // pnpm's links are relative (../../../node_modules/.pnpm/..., ../../../env): they resolve the same in the copy.
    spawnSync('cp', ['-a', own, path.join(dir, 'packages', p)], { stdio: 'ignore' });
  }
  gitInit(dir);
  return dir;
}

const CHANGESET = [process.execPath, path.join(ROOT, 'node_modules', '@changesets', 'cli', 'bin.js')];

export const changeset = (dir: string, args: readonly string[], env: Record<string, string>) => must([...CHANGESET, ...args], dir, env);

/** changeset, without blocking (two repositories release side by side); rejects as changeset throws. */
export const changesetAsync = async (dir: string, args: readonly string[], env: Record<string, string>) =>
  succeeded(await runAsync([...CHANGESET, ...args], dir, env), [...CHANGESET, ...args], dir);
