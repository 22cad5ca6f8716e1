/**
 * Imports the task modules once to learn what `--list`, name lookup and completion need. A module that does not
 * load is a problem reported with its file:line, not a stop: the other files' tasks stay usable (issue 9, item 14).
 * Two local files defining one name is a conflict naming both (item 10); a preset's task may override a built-in, and
 * a local task either.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import { isTask } from '../model/is-task.ts';
import type { Task } from '../model/task.ts';
import type { ModuleFile } from './inputs.ts';
import { describeLoadError } from './load-error.ts';
import type { TaskRef } from './manifest-types.ts';
import { importUserModule } from './user-module.ts';

export type { TaskRef } from './manifest-types.ts';

export interface LoadedTasks {
  /** One per name, a local task in place of the built-in it overrides. */
  refs: TaskRef[];
  /** The task objects by name, so nothing is imported twice. */
  objects: Map<string, Task>;
  /** Names defined by more than one local file (or twice in one), with the files. */
  conflicts: Map<string, string[]>;
  /** One line per file that did not load. */
  problems: string[];
}

/**
 * `base`: tasks already known without their modules (the cached built-ins, registry/builtin-list.ts), which the files
 * may override.
 */
export async function loadTaskModules(files: readonly ModuleFile[], base: readonly TaskRef[] = []): Promise<LoadedTasks> {
  const byName = new Map<string, TaskRef>(base.map((r) => [r.name, r]));
  const objects = new Map<string, Task>();
  const conflicts = new Map<string, string[]>();
  const problems: string[] = [];
  for (const f of files) {
    let mod: Record<string, unknown>;
    try {
      mod = await importUserModule(f.file, f.source);
    } catch (error) {
      problems.push(`cannot load task file ${await describeLoadError(f.file, f.source, error)}. Its tasks are left out until it is fixed.`);
      continue;
    }
    for (const [exportName, task] of Object.entries(mod)) {
      // The same task exported under two names is one task.
      if (!isTask(task) || [...objects.values()].includes(task) || (await isBaseTask(task, byName, base))) continue;
      const ref = refOf(f, exportName, task);
      const previous = byName.get(ref.name);
      // Files come in precedence order (built-ins, presets in `extends` order, the repo's own): a later one overrides,
      // but two files of one origin (two local files, or one preset twice) defining a name is a conflict.
      if (previous && previous.origin === ref.origin && previous.package === ref.package) {
        conflicts.set(ref.name, [...(conflicts.get(ref.name) ?? [previous.source]), ref.source]);
        continue;
      }
      byName.set(ref.name, previous ? { ...ref, overrides: previous.source } : ref);
      objects.set(ref.name, task);
    }
  }
  for (const name of conflicts.keys()) {
    byName.delete(name);
    objects.delete(name);
  }
  return { refs: [...byName.values()], objects, conflicts, problems };
}

/**
 * A built-in re-exported by a repo's file (`export { dockerBuild } from '@promtior/tasks'`) is that built-in, not a
 * local task overriding it: as when the built-ins' modules were imported first and their objects skipped above.
 * Only a file exporting a task under a known built-in's name pays for importing that built-in's module.
 */
async function isBaseTask(task: Task, byName: ReadonlyMap<string, TaskRef>, base: readonly TaskRef[]): Promise<boolean> {
  // Only while the built-in is still the task of that name: once a preset or another file replaced it, the re-export
  // is a task of this file's (it overrides the preset, or conflicts with the other local file), as it always was.
  const known = byName.get(task.name);
  if (!known || !base.includes(known)) return false;
  try {
    return (await importUserModule(known.file, known.source))[known.exportName] === task;
  } catch {
    return false;
  }
}

/** What `task NAME` says for a name two local files define. */
export function conflictError(name: string, files: readonly string[]): TaskError {
  const where = files[0] === files[1] ? `twice in ${files[0]}` : `in ${files.join(' and in ')}`;
  return new TaskError(
    ErrorCode.badTaskFile,
    `task ${name} is defined ${where}. Rename one of them (a local task may replace a built-in, but not another local task).`,
  );
}

export async function importTaskModule(file: string): Promise<Record<string, unknown>> {
  try {
    return await importUserModule(file, file);
  } catch (error) {
    const why = await describeLoadError(file, file, error);
    throw new TaskError(ErrorCode.badTaskFile, `cannot load task file ${why}. Fix the file, or move it out of tasks/.`, {
      cause: error,
    });
  }
}

/** Read defensively: a task object from another version of the library may lack a field. */
function refOf(f: ModuleFile, exportName: string, t: Task): TaskRef {
  const description = typeof t.description === 'string' ? t.description : '';
  const group = typeof t.group === 'string' && t.group ? t.group : 'tasks';
  const deps = (Array.isArray(t.deps) ? t.deps : []).map((d) =>
    typeof d === 'string' ? d : 'plan' in d ? d.name : typeof d.task === 'string' ? d.task : d.task?.name,
  );
  const named = deps.filter((d): d is string => typeof d === 'string');
  const needs = (Array.isArray(t.needs) ? t.needs : []).filter((n) => typeof n === 'string');
  return {
    name: t.name,
    description,
    group,
    source: f.source,
    origin: f.origin,
    file: f.file,
    exportName,
    ...(named.length > 0 ? { deps: named } : {}),
    ...(needs.length > 0 ? { needs } : {}),
    ...(f.package ? { package: f.package } : {}),
  };
}
