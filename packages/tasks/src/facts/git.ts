/** The source revision the images are labelled with, and its commit time (a build date that is stable per commit). */
import { probe } from '../exec/run-command.ts';
import type { GitFacts } from './facts.ts';

export async function gatherGit(cwd: string): Promise<GitFacts> {
  const head = await probe(['git', 'log', '-1', '--format=%H %ct'], { cwd });
  const [revision, time] = head.exitCode === 0 ? head.stdout.split(' ') : [];
  if (!revision) return { dirty: false };
  const status = await probe(['git', 'status', '--porcelain', '--untracked-files=no'], { cwd });
  return { revision, commitTime: Number(time), dirty: status.exitCode === 0 && status.stdout !== '' };
}
