/**
 * A folder as the CLI sees it: its tasks, its validated config, and what is wrong with either. Read from the cached
 * manifest while every file it was made from is unchanged; else the task modules and the config are loaded, the
 * listing and the completion data are rendered, and (when nothing is broken) the manifest and the shell scripts'
 * cache file are written for the fast path (cli/start.cjs) and the shell to use.
 *
 * A broken task file or config is reported, not fatal: `--list`, `--help` and every other task stay usable, and only
 * what needs the broken piece fails with its error (issue 9, item 14).
 */
import path from 'node:path';
import { findPresets } from '../config/layered.ts';
import type { RepoConfig } from '../config/schema.ts';
import { TaskError } from '../errors.ts';
import type { Task } from '../model/task.ts';
import { builtinTasks } from '../registry/builtin-list.ts';
import { MANIFEST_FORMAT, manifestFile, projectKey, prune, readManifest, stampOf, writeOwned } from '../registry/cache.cjs';
import { completionShape } from '../registry/completion-shape.ts';
import { libraryStamps, localTaskFiles, packageDir, presetTaskFiles, projectStamps, SETTLE_MS, taskModulePath, youngest } from '../registry/inputs.ts';
import { loadTaskModules } from '../registry/manifest.ts';
import type { CompletionData, Manifest } from '../registry/manifest-types.ts';
import { createRegistry, libraryVersion, type Registry } from '../registry/registry.ts';
import { escapeControl } from '../text/escape.ts';
import { shellDir } from './start.cjs';

export interface Project {
  /** The validated config; when it is broken, a stand-in that throws its error on first use. */
  config: RepoConfig;
  registry: Registry;
  /** One line per broken file (task file or config), to show as a warning. */
  warnings: string[];
  /** What shell completion offers here; made on first call (it reads the compose files for service names). */
  complete: () => Promise<CompletionData>;
}

export interface ProjectOptions {
  /** The per-user cache folder (registry/cache.cjs); without it nothing is cached. */
  cacheRoot?: string;
  /** Tasks of a file run on its own (`node tasks/x.ts`), and that file, left out of discovery. */
  extraTasks?: readonly Task[];
  selfFile?: string;
}

export async function loadProject(cwd: string, opts: ProjectOptions = {}): Promise<Project> {
  const started = Date.now();
  const root = opts.extraTasks?.length || opts.selfFile ? undefined : opts.cacheRoot;
  const cached = root ? readManifest(root, cwd, packageDir) : undefined;
  // A cache naming a module outside the task folders is not ours to trust: rebuild it.
  if (cached?.tasks.every((t) => taskModulePath(t, cwd) !== undefined)) {
    // The cached list leaves out the built-ins the config turns off, which are built-ins all the same.
    const { config, warning } = await readProjectConfig(cwd, [...builtinNames(cached.tasks), ...cached.disabled]);
    const registry = createRegistry({ cwd, refs: cached.tasks, disabled: cached.disabled });
    return { config, registry, warnings: warning ? [warning] : [], complete: async () => cached.complete };
  }
  // The presets first: their tasks join the list, and their files stamp it. One that does not fit is the config's error.
  const presets = await findPresets(cwd, libraryVersion()).catch(() => []);
  const library = libraryStamps();
  const stamps = [...library, ...projectStamps(cwd, presets)];
  // The built-ins come from a cache of their own, not this folder's: only the presets' and the folder's files load.
  const builtins = await builtinTasks(opts.cacheRoot, started, library);
  const files = [...presets.flatMap(presetTaskFiles), ...localTaskFiles(cwd).filter((f) => f.file !== opts.selfFile)];
  const own = await loadTaskModules(files, builtins.refs);
  const loaded = {
    refs: own.refs,
    objects: new Map([...builtins.objects, ...own.objects]),
    conflicts: new Map([...builtins.conflicts, ...own.conflicts]),
    problems: [...builtins.problems, ...own.problems],
  };
  const { config, warning } = await readProjectConfig(cwd, builtinNames(loaded.refs));
  const disabled = warning ? [] : (config.disable ?? []);
  const registry = createRegistry({ cwd, ...loaded, disabled, extra: opts.extraTasks });
  const warnings = [...loaded.problems, ...[...loaded.conflicts].map(([name, f]) => conflictWarning(name, f)), ...(warning ? [warning] : [])];
  const objects = new Map([...loaded.objects, ...(opts.extraTasks ?? []).map((t): [string, Task] => [t.name, t])]);
  // Service names complete from the compose files and the config: those files (and package.json, which may move the
  // project) stamp the list. They are read only for a manifest to write or a completion to answer, not on every run.
  let completion: Promise<CompletionData> | undefined;
  const complete = () => {
    completion ??= (async () => {
      const [{ completionData }, { stackServices }] = await Promise.all([import('./complete.ts'), import('../workflow/services.ts')]);
      const stack = warning ? { names: [], inputs: [] } : stackServices({ cwd, config });
      stamps.push(...[path.join(cwd, 'package.json'), ...stack.inputs].map((f): [string, string | null] => [f, stampOf(f)]));
      const shapes = registry.tasks.flatMap((t) => {
        const task = objects.get(t.name);
        const shape = task ? completionShape(task) : builtins.shapes.get(t.name);
        return shape ? [{ name: t.name, shape }] : [];
      });
      return completionData(shapes, stack.names);
    })();
    return completion;
  };
  // Asked before and after the stack's files join the stamps: in a folder just made or just edited nothing is
  // written, and no compose file is read.
  const cacheable = () => root !== undefined && warnings.length === 0 && youngest(stamps) < started - SETTLE_MS;
  if (root && cacheable()) {
    const data = await complete();
    if (cacheable()) await writeManifest(root, { cwd, started, stamps, registry, disabled, complete: data });
  }
  return { config, registry, warnings, complete };
}

/** The manifest for the fast path (cli/start.cjs) and the shell scripts' cache file. */
async function writeManifest(
  root: string,
  m: { cwd: string; started: number; stamps: [string, string | null][]; registry: Registry; disabled: string[]; complete: CompletionData },
): Promise<void> {
  const [{ listJson, listText }, { globalHelp }, { shellCacheText }] = await Promise.all([import('./list.ts'), import('./help.ts'), import('./complete.ts')]);
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    packageDir,
    cwd: m.cwd,
    builtAt: m.started,
    stamps: m.stamps,
    tasks: m.registry.tasks,
    disabled: m.disabled,
    // Printed as is by the fast path: escaped here as cli/main.ts's print escapes them (output/safe.ts).
    text: { list: escapeControl(listText(m.registry.tasks)), listJson: escapeControl(listJson(m.registry.tasks)), help: escapeControl(globalHelp()) },
    complete: m.complete,
    shell: shellCacheText(m.complete, m.stamps),
  };
  writeCaches(root, manifest);
}

/** Tasks a repo may turn off: the built-ins and its presets' tasks (also when a local task overrides one). */
function builtinNames(refs: readonly { name: string; origin: string; overrides?: string }[]): string[] {
  return refs.filter((r) => r.origin !== 'local' || r.overrides).map((r) => r.name);
}

function conflictWarning(name: string, files: readonly string[]): string {
  return `task ${name} is defined in ${files.join(' and in ')}; it is left out until one of them is renamed.`;
}

/** The config, or a stand-in that throws its error when a task reads it, so tasks that do not need it still run. */
async function readProjectConfig(cwd: string, builtins: readonly string[]): Promise<{ config: RepoConfig; warning?: string }> {
  const { loadLayered } = await import('../config/layered.ts');
  try {
    return { config: (await loadLayered(cwd, libraryVersion(), builtins)).config };
  } catch (error) {
    const fail = (): never => {
      throw error;
    };
    const config = new Proxy({}, { get: fail, has: fail, ownKeys: fail, getOwnPropertyDescriptor: fail }) as RepoConfig;
    const message = error instanceof TaskError ? error.message : `cannot read tasks.config: ${String((error as Error)?.message ?? error)}.`;
    return { config, warning: `${message} Tasks that read the config fail until it is fixed.` };
  }
}

/** The manifest for the fast path, and the shell scripts' file, dated a little back so any later change is newer. */
function writeCaches(root: string, manifest: Manifest): void {
  const file = manifestFile(root, manifest.cwd);
  if (!file || !writeOwned(file, JSON.stringify(manifest))) return;
  prune(root);
  const key = manifest.shell && projectKey(shellDir(manifest.cwd));
  if (key && manifest.shell) writeOwned(path.join(root, 'complete', key), manifest.shell, manifest.builtAt - 1000);
}
