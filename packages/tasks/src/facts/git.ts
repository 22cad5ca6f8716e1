/** The source revision the images are labelled with, and its commit time (a build date that is stable per commit). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { probe } from '../exec/run-command.ts';
import type { GitFacts } from './facts.ts';

/** Whether git could find a repository from `cwd`: a .git (folder or worktree file) here or above, or GIT_DIR. */
export function mayBeInGit(cwd: string, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.GIT_DIR || env.GIT_WORK_TREE) return true;
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

export async function gatherGit(cwd: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<GitFacts> {
  // Outside any repository, no git process: its answer would only be "not a git repository".
  if (!mayBeInGit(cwd, env)) return { dirty: false };
  // Both at once: outside a work tree both fail fast, and the status is then not read.
  const [head, status] = await Promise.all([
    probe(['git', 'log', '-1', '--format=%H %ct'], { cwd }),
    probe(['git', 'status', '--porcelain', '--untracked-files=no'], { cwd }),
  ]);
  const [revision, time] = head.exitCode === 0 ? head.stdout.split(' ') : [];
  if (!revision) return { dirty: false };
  return { revision, commitTime: Number(time), dirty: status.exitCode === 0 && status.stdout !== '' };
}
