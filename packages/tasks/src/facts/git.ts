/** The source revision the images are labelled with, and its commit time (a build date that is stable per commit). */
import { probe } from '../exec/run-command.ts';
import type { GitFacts } from './facts.ts';

export async function gatherGit(cwd: string): Promise<GitFacts> {
  // Both at once: outside a work tree both fail fast, and the status is then not read.
  const [head, status] = await Promise.all([
    probe(['git', 'log', '-1', '--format=%H %ct'], { cwd }),
    probe(['git', 'status', '--porcelain', '--untracked-files=no'], { cwd }),
  ]);
  const [revision, time] = head.exitCode === 0 ? head.stdout.split(' ') : [];
  if (!revision) return { dirty: false };
  return { revision, commitTime: Number(time), dirty: status.exitCode === 0 && status.stdout !== '' };
}
