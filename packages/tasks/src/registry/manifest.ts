/**
 * What `--list` and name lookup need (name, description, group, source) without importing any task module:
 * a manifest cached per set of task files and keyed by each file's mtime and size. A stale or missing cache is
 * rebuilt by importing the modules once. This keeps `task --list` close to a bare `node` start.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCode, TaskError } from '../errors.ts';
import { isTask } from '../model/is-task.ts';
import type { Task } from '../model/task.ts';

export interface TaskRef {
  name: string;
  description: string;
  group: string;
  /** `@promtior/tasks@0.1.0` for a built-in, the relative path for a repo's own file. */
  source: string;
  file: string;
  exportName: string;
}

export interface ModuleFile {
  file: string;
  source: string;
}

interface Cache {
  version: 1;
  stamps: Record<string, string>;
  refs: TaskRef[];
}

export async function readManifest(files: readonly ModuleFile[]): Promise<TaskRef[]> {
  const stamps = Object.fromEntries(files.map((f) => [f.file, stamp(f.file)]));
  const cacheFile = path.join(tmpdir(), 'promtior-tasks', `${createHash('sha1').update(JSON.stringify(files)).digest('hex')}.json`);
  try {
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as Cache;
    if (cache.version === 1 && JSON.stringify(cache.stamps) === JSON.stringify(stamps)) return cache.refs;
  } catch {
    // No cache yet, or unreadable: rebuild it.
  }
  const refs: TaskRef[] = [];
  for (const f of files) refs.push(...refsOf(f, await importTaskModule(f.file)));
  try {
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ version: 1, stamps, refs } satisfies Cache));
    renameSync(tmp, cacheFile);
  } catch {
    // A read-only temp dir only costs speed.
  }
  return refs;
}

function stamp(file: string): string {
  const s = statSync(file);
  return `${s.mtimeMs}:${s.size}`;
}

export async function importTaskModule(file: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new TaskError(ErrorCode.badTaskFile, `cannot load task file ${file}: ${(error as Error).message}. Fix the file, or move it out of tasks/.`, {
      cause: error,
    });
  }
}

export function refsOf(f: ModuleFile, mod: Record<string, unknown>): TaskRef[] {
  return Object.entries(mod)
    .filter((entry): entry is [string, Task] => isTask(entry[1]))
    .map(([exportName, t]) => ({ name: t.name, description: t.description, group: t.group, source: f.source, file: f.file, exportName }));
}
