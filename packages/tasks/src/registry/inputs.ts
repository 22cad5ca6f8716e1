/**
 * Where a folder's tasks come from (the library's built-ins, its presets' `tasks/*.js`, the folder's `tasks/*.ts`, its
 * tasks.config) and the stamps of every file the task list is made from, which decide whether a cached manifest is
 * still fresh.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_FILES } from '../config/files.ts';
import { findInstalled, type Preset, presetInputs, presetSource, presetTasksDir } from '../config/presets.ts';
import { BUILTIN_TASK_FILES } from './builtin-files.ts';
import { stampOf } from './cache.cjs';

/** This copy of @promtior/tasks. */
export const packageDir = path.resolve(fileURLToPath(import.meta.url), '../../..');
/** Running the workspace's TypeScript (else an installed copy's built dist/). */
export const fromSource = !import.meta.url.endsWith('.js');
export const builtinsDir = path.join(packageDir, fromSource ? 'src' : 'dist', 'builtins');

export interface ModuleFile {
  file: string;
  source: string;
  origin: 'builtin' | 'preset' | 'local';
  /** A preset's package name. */
  package?: string;
}

/**
 * A file younger than this is not cached: a change within the same clock tick as the cache write (the kernel's file
 * times are coarse) would go unseen, and the shell compares times only.
 */
export const SETTLE_MS = 2000;

/** The built-in files' names as this copy has them (taskModulePath checks every cached task against it at start). */
const BUILTIN_NAMES = new Set<string>(BUILTIN_TASK_FILES.map((f) => (fromSource ? f : f.replace(/\.ts$/, '.js'))));

export function builtinFiles(source: string): ModuleFile[] {
  return BUILTIN_TASK_FILES.map((f) => ({ file: path.join(builtinsDir, fromSource ? f : f.replace(/\.ts$/, '.js')), source, origin: 'builtin' }));
}

/** `tasks/x.ts` holds tasks; tests, declarations and `_helpers.ts` do not. */
export function isTaskFileName(name: string): boolean {
  return /\.(ts|mts|js|mjs)$/.test(name) && !/\.(test|spec|d)\.[mc]?[tj]s$/.test(name) && !name.startsWith('_') && !name.startsWith('.');
}

export function localTaskFiles(cwd: string): ModuleFile[] {
  return entries(path.join(cwd, 'tasks'))
    .filter(isTaskFileName)
    .sort()
    .map((f) => ({ file: path.join(cwd, 'tasks', f), source: `tasks/${f}`, origin: 'local' }));
}

/** A preset's `tasks/*.js`, in name order; the source names the preset and its version. */
export function presetTaskFiles(p: Preset): ModuleFile[] {
  const dir = presetTasksDir(p);
  return entries(dir)
    .filter(isTaskFileName)
    .sort()
    .map((f) => ({ file: path.join(dir, f), source: presetSource(p), origin: 'preset', package: p.name }));
}

/**
 * The path to import for a task the manifest names, only if it lies in a task folder: a cache must never be able to
 * make the CLI import a module from anywhere else (issue 9, item 4). A preset's folder is the one Node finds from
 * the repo under the package's name.
 */
export function taskModulePath(ref: { file: string; origin: string; package?: string }, cwd: string): string | undefined {
  const name = path.basename(ref.file);
  const installed = ref.origin === 'preset' && ref.package ? findInstalled(ref.package, cwd) : undefined;
  const dir = ref.origin === 'builtin' ? builtinsDir : ref.origin === 'local' ? path.join(cwd, 'tasks') : installed ? presetTasksDir(installed) : undefined;
  const known = ref.origin === 'builtin' ? BUILTIN_NAMES.has(name) : isTaskFileName(name);
  return dir && known && path.resolve(ref.file) === path.join(dir, name) ? path.join(dir, name) : undefined;
}

/**
 * The files the built-in tasks are made from (a manifest is stamped by these and its folder's, projectStamps): this
 * copy's package.json first, then in the workspace each source file
 * (any may change a description or a flag), in an installed copy the built-ins' own modules.
 */
export function libraryStamps(): [string, string | null][] {
  const files = [path.join(packageDir, 'package.json')];
  if (fromSource) files.push(...walk(path.join(packageDir, 'src'), 8).filter((f) => !/\.test\.ts$/.test(f)));
  // An installed copy changes with its version, or by an edit in place of a built-in (a patch-package fix).
  else files.push(...builtinFiles('').map((f) => f.file));
  return files.map((f) => [f, stampOf(f)]);
}

/** A folder's own: its presets, its tasks/ two levels deep (its helpers too), and each config name. */
export function projectStamps(cwd: string, presets: readonly Preset[] = []): [string, string | null][] {
  const files: string[] = [];
  // A preset's link, package.json, config names and task folder: an upgrade or a reinstall changes one of them.
  for (const p of presets) files.push(...presetInputs(p), ...walk(presetTasksDir(p), 1));
  const tasks = path.join(cwd, 'tasks');
  files.push(tasks, ...walk(tasks, 2, true));
  files.push(...CONFIG_FILES.map((f) => path.join(cwd, f)));
  return files.map((f) => [f, stampOf(f)]);
}

/** The newest modification time among the stamps. */
export function youngest(stamps: readonly (readonly [string, string | null])[]): number {
  return Math.max(0, ...stamps.map(([, s]) => (s ? Number(s.split(':')[0]) : 0)));
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Files (and, with `dirs`, folders) under `dir`, `depth` levels deep, skipping node_modules and dot entries. */
function walk(dir: string, depth: number, dirs = false): string[] {
  const out: string[] = [];
  for (const name of entries(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    const isDir = statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
    if (!isDir) out.push(p);
    else {
      if (dirs) out.push(p);
      if (depth > 1) out.push(...walk(p, depth - 1, dirs));
    }
  }
  return out;
}
