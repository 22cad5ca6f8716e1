/**
 * An error thrown by a repo's own task code (its plan, its `sources` function) is the repo's to fix, not a bug of
 * ours: it becomes a TaskError naming the task, the first place in the repo's file and the message (issue 9). An
 * error whose stack has no frame outside this package (and outside node_modules) came from us, and stays internal.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { ErrorCode, TaskError } from '../errors.ts';

/** This package's folder (src/ or dist/ inside it), whose frames are ours. */
const ours = path.resolve(fileURLToPath(import.meta.url), '../../..') + path.sep;

/** `what` is the part of the task that threw, as in "task gen's plan". */
export function taskCodeError(error: unknown, what: string, cwd: string): unknown {
  if (error instanceof TaskError || (error instanceof Error && error.name === 'EnvError')) return error;
  if (!(error instanceof Error)) {
    const value = inspect(error, { breakLength: Number.POSITIVE_INFINITY }).slice(0, 200);
    return new TaskError(ErrorCode.taskCodeFailed, `${what} failed: it threw ${value} (not an Error, so there is no place). Fix the task's code.`, {
      cause: error,
    });
  }
  const frames = userFrames(error.stack ?? '');
  if (frames.length === 0) return error;
  const first = frames[0] as { file: string; line: string };
  const shown = (f: { file: string; line: string }) => `${path.relative(cwd, f.file).startsWith('..') ? f.file : path.relative(cwd, f.file)}:${f.line}`;
  const message = (error.message.split('\n')[0] ?? '').slice(0, 500);
  return new TaskError(ErrorCode.taskCodeFailed, `${what} failed (${shown(first)}): ${message}. Fix the task's code at that line.`, {
    cause: error,
    details: frames.length > 1 ? frames.slice(0, 5).map((f) => `at ${shown(f)}`) : [],
  });
}

/** The stack frames in files that are neither ours, nor a dependency's, nor Node's. */
function userFrames(stack: string): { file: string; line: string }[] {
  return [...stack.matchAll(/(file:\/\/[^\s)]+?):(\d+:\d+)/g)]
    .map((m) => ({ file: fileURLToPath(m[1] as string), line: m[2] as string }))
    .filter((f) => !f.file.startsWith(ours) && !f.file.includes(`${path.sep}node_modules${path.sep}`));
}
