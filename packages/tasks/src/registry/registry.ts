/**
 * All tasks of a folder: the library's built-ins and the folder's own `tasks/*.ts`, as the manifest lists them. A
 * local task with a built-in's name overrides it, and the listing says so. A task module is imported only to run
 * its task, and only from a task folder.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, TaskError, usageError } from '../errors.ts';
import { isTask } from '../model/is-task.ts';
import type { Task } from '../model/task.ts';
import { suggest } from '../text/suggest.ts';
import { packageDir, taskModulePath } from './inputs.ts';
import { conflictError, importTaskModule, type TaskRef } from './manifest.ts';

export { localTaskFiles } from './inputs.ts';

export type ListedTask = TaskRef;

export interface Registry {
  tasks: ListedTask[];
  find(name: string): ListedTask | undefined;
  /** The task by name, or an error that says why not (unknown, turned off, defined twice, its file broken). */
  load(name: string): Promise<Task>;
}

export interface RegistryInput {
  cwd: string;
  refs: readonly TaskRef[];
  /** Tasks a repo turned off (tasks.config.ts `disable`): neither listed nor runnable. */
  disabled?: readonly string[];
  conflicts?: ReadonlyMap<string, readonly string[]>;
  /** Files that did not load: named when a task is not found, since it may be defined there. */
  problems?: readonly string[];
  /** Task objects already imported. */
  objects?: ReadonlyMap<string, Task>;
  /** Tasks defined by a file run on its own (`node tasks/x.ts`). */
  extra?: readonly Task[];
}

export function libraryVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
}

export function builtinSource(): string {
  return `@promtior/tasks@${libraryVersion()}`;
}

export function createRegistry(input: RegistryInput): Registry {
  const { cwd, disabled = [], conflicts = new Map(), problems = [], extra = [] } = input;
  const byName = new Map<string, ListedTask>();
  for (const ref of input.refs) if (!(ref.origin !== 'local' && disabled.includes(ref.name))) byName.set(ref.name, ref);
  const injected = new Map(extra.map((t) => [t.name, t]));
  for (const t of extra)
    byName.set(t.name, { name: t.name, description: t.description, group: t.group, source: 'this file', origin: 'local', file: '', exportName: '' });
  const tasks = [...byName.values()];
  return {
    tasks,
    find: (name) => byName.get(name),
    async load(name) {
      const own = injected.get(name) ?? input.objects?.get(name);
      if (own && byName.has(name)) return own;
      const twice = conflicts.get(name);
      if (twice) throw conflictError(name, twice);
      const ref = byName.get(name);
      if (!ref && disabled.includes(name)) {
        throw usageError(ErrorCode.disabled, `task ${name} is turned off in this repo (tasks.config.ts: disable). Remove it from \`disable\` to use it.`);
      }
      if (!ref) throw unknownTask(name, tasks, problems);
      const file = taskModulePath(ref, cwd);
      if (!file) {
        throw new TaskError(
          ErrorCode.badTaskFile,
          `the task list names ${ref.file} for task ${name}, which is not in a task folder; it was not loaded. Run again to rebuild the list.`,
        );
      }
      const task = (await importTaskModule(file))[ref.exportName];
      if (!isTask(task)) throw new TaskError(ErrorCode.badTaskFile, `${ref.file} no longer exports task ${name}; run again to refresh the task list.`);
      return task;
    },
  };
}

function unknownTask(name: string, tasks: readonly ListedTask[], problems: readonly string[]): TaskError {
  const hint = suggest(
    name,
    tasks.map((t) => t.name),
  );
  const message = `unknown task "${name}".${hint ? ` Did you mean ${hint}?` : ''}`;
  // It may be defined in the file that did not load: then that file's error is the one to fix.
  if (problems.length > 0 && !hint) return new TaskError(ErrorCode.badTaskFile, `${message} It may be in a task file that did not load: ${problems.join(' ')}`);
  return usageError(ErrorCode.unknownTask, `${message} Run \`task --list\` to see every task.`);
}
