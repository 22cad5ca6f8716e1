/**
 * Work folders of the tasks (an SBOM's extracted files, a docker login config, a signature policy, a debootstrap
 * root). Their names stay deterministic, so a plan is pure and a dry-run the same every time, but they live in a
 * folder of the user's own: the runtime folder (XDG_RUNTIME_DIR) or the temp folder, under promtior-tasks-<uid>,
 * each level mode 0700 and checked to be the user's before anything is removed or written there. A predictable name
 * directly in a shared /tmp could be made first by another user (issue 9).
 */
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ErrorCode, TaskError } from '../errors.ts';
import { type ActionStep, action } from '../model/steps.ts';
import type { PlanContext } from '../model/task.ts';

/** The user's own folder for the tasks' run-time files (pure: the environment and the uid decide it). */
export function userRunDir(env: PlanContext['env'], uid: number): string {
  const runtime = env.XDG_RUNTIME_DIR && path.isAbsolute(env.XDG_RUNTIME_DIR) ? env.XDG_RUNTIME_DIR : undefined;
  return path.join(runtime ?? tmpdir(), `promtior-tasks-${uid}`);
}

/** `<user run dir>/work/<name>`: name it after what it holds and the project, never the process. */
export function workDir(env: PlanContext['env'], uid: number, name: string): string {
  return path.join(userRunDir(env, uid), 'work', name);
}

/** The step that makes the folder above `dir` private (before `rm -rf dir`: a planted link above it is refused first). */
export function claimWorkDir(dir: string, uid: number): ActionStep {
  const parent = path.dirname(dir);
  return action('claim the work folder', [`make ${parent} a folder of yours, mode 0700 (a link or another user's folder there is refused)`], () =>
    privateDir(parent, uid),
  );
}

/**
 * Creates `dir` and the folders above it up to the per-user one, each 0700 and ours. A folder that is a link, or
 * belongs to someone else (a shared /tmp), is refused: what is written there could be read or replaced by another user.
 */
export function privateDir(dir: string, uid: number): void {
  const mark = `${path.sep}promtior-tasks-${uid}`;
  const top = dir.slice(0, dir.indexOf(mark) + mark.length);
  for (let d = top; ; ) {
    try {
      mkdirSync(d, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const st = lstatSync(d);
    if (!st.isDirectory() || st.uid !== uid) {
      throw new TaskError(
        ErrorCode.checkFailed,
        `${d} ${st.isSymbolicLink() ? 'is a symbolic link' : st.isDirectory() ? `belongs to uid ${st.uid}` : 'is not a folder'}, so files cannot be kept private there. Fix: remove it (or set XDG_RUNTIME_DIR to a private folder) and run again.`,
      );
    }
    if ((st.mode & 0o777) !== 0o700) chmodSync(d, 0o700);
    if (d === dir) return;
    d = path.join(d, path.relative(d, dir).split(path.sep)[0] as string);
  }
}
