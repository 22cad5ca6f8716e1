/**
 * All tasks of a folder: the library's built-ins and the folder's own `tasks/*.ts`. A local task with a
 * built-in's name overrides it, and the listing says so.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, TaskError, usageError } from '../errors.ts';
import type { Task } from '../model/task.ts';
import { suggest } from '../text/suggest.ts';
import { BUILTIN_TASK_FILES } from './builtin-files.ts';
import { importTaskModule, type ModuleFile, readManifest, type TaskRef } from './manifest.ts';

export interface ListedTask extends TaskRef {
  /** The source this task replaces, when a local task overrides a built-in. */
  overrides?: string;
}

export interface Registry {
  tasks: ListedTask[];
  find(name: string): ListedTask | undefined;
  /** The task by name, or a usage error with "did you mean". */
  load(name: string): Promise<Task>;
}

const pkgDir = path.resolve(fileURLToPath(import.meta.url), '../../..');

export function libraryVersion(): string {
  return (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
}

export function localTaskFiles(cwd: string): ModuleFile[] {
  const dir = path.join(cwd, 'tasks');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !/\.(test|spec|d)\.[mc]?[tj]s$/.test(f) && !f.startsWith('_'))
    .sort()
    .map((f) => ({ file: path.join(dir, f), source: `tasks/${f}` }));
}

export async function createRegistry(cwd: string, extra: readonly Task[] = [], selfFile?: string, disabled: readonly string[] = []): Promise<Registry> {
  const source = `@promtior/tasks@${libraryVersion()}`;
  // Running from the sources (the workspace) or from the built dist/ (an installed copy).
  const built = import.meta.url.endsWith('.js');
  const builtin = BUILTIN_TASK_FILES.map((f) => ({
    file: built ? path.join(pkgDir, 'dist', 'builtins', f.replace(/\.ts$/, '.js')) : path.join(pkgDir, 'src', 'builtins', f),
    source,
  }));
  const refs = await readManifest([...builtin, ...localTaskFiles(cwd).filter((f) => f.file !== selfFile)]);
  const byName = new Map<string, ListedTask>();
  for (const ref of refs) {
    const previous = byName.get(ref.name);
    if (previous && previous.source === ref.source) {
      throw new TaskError(ErrorCode.badTaskFile, `task ${ref.name} is defined twice, in ${previous.file} and ${ref.file}. Rename one of them.`);
    }
    byName.set(ref.name, previous ? { ...ref, overrides: previous.source } : ref);
  }
  const injected = new Map(extra.map((t) => [t.name, t]));
  for (const t of extra) byName.set(t.name, { name: t.name, description: t.description, group: t.group, source: 'this file', file: '', exportName: '' });
  // Tasks a repo turned off (tasks.config.ts `disable`) are neither listed nor runnable.
  for (const name of disabled) if (byName.get(name)?.source === source) byName.delete(name);
  const tasks = [...byName.values()];
  return {
    tasks,
    find: (name) => byName.get(name),
    async load(name) {
      const own = injected.get(name);
      if (own) return own;
      const ref = byName.get(name);
      if (!ref && disabled.includes(name)) {
        throw usageError(ErrorCode.disabled, `task ${name} is turned off in this repo (tasks.config.ts: disable). Remove it from \`disable\` to use it.`);
      }
      if (!ref) {
        const hint = suggest(
          name,
          tasks.map((t) => t.name),
        );
        throw usageError(ErrorCode.unknownTask, `unknown task "${name}".${hint ? ` Did you mean ${hint}?` : ''} Run \`task --list\` to see every task.`);
      }
      const mod = await importTaskModule(ref.file);
      const task = mod[ref.exportName] as Task | undefined;
      if (!task) throw new TaskError(ErrorCode.badTaskFile, `${ref.file} no longer exports task ${name}; run again to refresh the task list.`);
      return task;
    },
  };
}
