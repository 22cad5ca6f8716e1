/**
 * The built-in tasks as the task list needs them (name, description, group, module, and the flags completion offers),
 * cached per copy of the library in the user's cache folder. A folder whose own manifest is missing or stale (its
 * first start, the first after an edit in its tasks/, every start in a folder younger than the settle time) then
 * imports only its own task files and its presets', not the twenty-odd built-in modules and what they import (yaml,
 * the Dockerfile parser, the SBOM writer): most of such a start's cost. A built-in's module is imported when it runs.
 */
import path from 'node:path';
import type { Task } from '../model/task.ts';
import { projectKey, readOwned, writeOwned } from './cache.cjs';
import { completionShape } from './completion-shape.ts';
import { builtinFiles, libraryStamps, packageDir, SETTLE_MS, taskModulePath, youngest } from './inputs.ts';
import { type LoadedTasks, loadTaskModules } from './manifest.ts';
import type { CompletionShape, TaskRef } from './manifest-types.ts';
import { builtinSource } from './registry.ts';

const FORMAT = 'promtior-tasks builtins 1';

export interface BuiltinTasks extends LoadedTasks {
  /** Each built-in's completion shape, by name (from the cache, or from the modules just imported). */
  shapes: Map<string, CompletionShape>;
}

interface BuiltinList {
  format: string;
  packageDir: string;
  stamps: [string, string | null][];
  refs: TaskRef[];
  shapes: Record<string, CompletionShape>;
}

/**
 * The built-ins, from the cache while every file of the library it was made from is unchanged (`stamps`: the
 * library's stamps as of now, which the caller has taken for its manifest anyway); else imported (and cached, when
 * they all loaded and no file changed within the settle time before `started`). Stamped before the modules load: a
 * file changed while they load is then newer than its stamp.
 */
export async function builtinTasks(root: string | undefined, started: number, stamps = libraryStamps()): Promise<BuiltinTasks> {
  const file = root === undefined ? undefined : listFile(root);
  const cached = file === undefined ? undefined : readList(file, stamps);
  if (cached) return { refs: cached.refs, objects: new Map(), conflicts: new Map(), problems: [], shapes: new Map(Object.entries(cached.shapes)) };
  const loaded = await loadTaskModules(builtinFiles(builtinSource()));
  const shapes = new Map([...loaded.objects].map(([name, task]: [string, Task]) => [name, completionShape(task)]));
  if (file && loaded.problems.length === 0 && loaded.conflicts.size === 0 && youngest(stamps) < started - SETTLE_MS) {
    const list: BuiltinList = { format: FORMAT, packageDir, stamps, refs: loaded.refs, shapes: Object.fromEntries(shapes) };
    writeOwned(file, JSON.stringify(list));
  }
  return { ...loaded, shapes };
}

/** One file per copy of the library, named after its folder (so prune() drops those of copies that are gone). */
function listFile(root: string): string | undefined {
  const key = projectKey(packageDir);
  return key === undefined ? undefined : path.join(root, 'builtins', `${key}.json`);
}

/** The cached list, if this copy wrote it from files whose stamps are still `stamps` and it names only built-ins. */
function readList(file: string, stamps: readonly (readonly [string, string | null])[]): BuiltinList | undefined {
  const text = readOwned(file);
  if (!text) return undefined;
  try {
    const list = JSON.parse(text) as BuiltinList;
    if (list.format !== FORMAT || list.packageDir !== packageDir || !Array.isArray(list.refs)) return undefined;
    // The same files with the same stamps: no file of the library changed, none was added or removed.
    if (!Array.isArray(list.stamps) || list.stamps.length !== stamps.length) return undefined;
    if (!stamps.every(([f, st], i) => Array.isArray(list.stamps[i]) && list.stamps[i][0] === f && list.stamps[i][1] === st)) return undefined;
    if (typeof list.shapes !== 'object' || list.shapes === null) return undefined;
    // This one file serves every folder: anything in it not of the shape written is a reason to import afresh, never
    // an internal error in each of them. And it must never make the CLI import a module from anywhere else (the
    // manifest's rule, registry/inputs.ts).
    if (!list.refs.every((r) => wellFormed(r, list.shapes[r.name]) && taskModulePath(r, packageDir) !== undefined)) return undefined;
    return list;
  } catch {
    return undefined;
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** A built-in's ref and shape with every field the list, help and completion read, of its type. */
function wellFormed(r: TaskRef, shape: CompletionShape | undefined): boolean {
  if (typeof r !== 'object' || r === null || r.origin !== 'builtin') return false;
  if (![r.name, r.description, r.group, r.source, r.file, r.exportName].every(isString)) return false;
  if (
    (r.deps !== undefined && !(Array.isArray(r.deps) && r.deps.every(isString))) ||
    (r.needs !== undefined && !(Array.isArray(r.needs) && r.needs.every(isString)))
  )
    return false;
  if (typeof shape !== 'object' || shape === null || !Array.isArray(shape.flags) || !Array.isArray(shape.positional) || !shape.positional.every(isString))
    return false;
  return shape.flags.every(
    (f) =>
      typeof f === 'object' &&
      f !== null &&
      isString(f.flag) &&
      isString(f.key) &&
      typeof f.switch === 'boolean' &&
      (f.choices === undefined || (Array.isArray(f.choices) && f.choices.every(isString))),
  );
}
