/**
 * Team presets: npm packages a repo names in `extends` (tasks.config.ts). A preset is laid out like a repo: its
 * `tasks/*.js` are task files and its `tasks.config.js` holds the team's defaults. It declares the versions of
 * @promtior/tasks it is built for as a peer range; a library outside that range is an error naming both versions
 * (a task file written for another major version of the model would fail in stranger ways later).
 *
 * A preset is found the way Node finds a package (node_modules of the repo folder, then of each parent), so the
 * one the repo installed is the one used, and never a path a config or a cache names.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ErrorCode, TaskError } from '../errors.ts';
import { CONFIG_FILES } from './files.ts';

export const LIBRARY = '@promtior/tasks';

export interface Preset {
  name: string;
  version: string;
  /** The package folder (symlinks resolved). */
  dir: string;
  /** The folder holding its node_modules entry: an install or upgrade changes it, so it stamps the task list. */
  linkDir: string;
  /** Its `peerDependencies["@promtior/tasks"]`. */
  peerRange: string | undefined;
}

/** `name@version`, as --list and `config --explain` name the preset. */
export function presetSource(p: Pick<Preset, 'name' | 'version'>): string {
  return `${p.name}@${p.version}`;
}

export function presetTasksDir(p: Pick<Preset, 'dir'>): string {
  return path.join(p.dir, 'tasks');
}

/** The installed package `name` as Node would find it from `cwd`, or undefined. */
export function findInstalled(name: string, cwd: string): { link: string; dir: string } | undefined {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const link = path.join(dir, 'node_modules', ...name.split('/'));
    if (existsSync(path.join(link, 'package.json'))) return { link, dir: realpathSync(link) };
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The preset named `name`, installed for `cwd`, checked against this library's version. */
export function resolvePreset(name: string, cwd: string, libraryVersion: string, configShown: string): Preset {
  const found = findInstalled(name, cwd);
  if (!found) {
    throw new TaskError(
      ErrorCode.badConfig,
      `${configShown}: extends "${name}", which is not installed (no node_modules/${name} in ${cwd} or a folder above). Fix: install it (pnpm add -D ${name}), or remove it from \`extends\`.`,
    );
  }
  const file = path.join(found.dir, 'package.json');
  let pkg: { name?: unknown; version?: unknown; peerDependencies?: Record<string, unknown> };
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TaskError(ErrorCode.badConfig, `${file}: not valid JSON (${(error as Error).message}). Reinstall ${name}.`, { cause: error });
  }
  const version = typeof pkg.version === 'string' ? pkg.version : '';
  const range = pkg.peerDependencies?.[LIBRARY];
  const preset: Preset = { name, version, dir: found.dir, linkDir: path.dirname(found.link), peerRange: typeof range === 'string' ? range : undefined };
  const problem = peerProblem(preset, libraryVersion);
  if (problem) throw new TaskError(ErrorCode.badConfig, `${configShown}: extends ${problem}`);
  return preset;
}

/** semver (47 modules) is loaded only when a repo has a preset to check: most runs have none. */
const loadSemver = () => createRequire(import.meta.url)('semver') as typeof import('semver');

/** Why this library cannot run the preset's tasks, or undefined when its peer range admits this version. */
export function peerProblem(p: Pick<Preset, 'name' | 'version' | 'peerRange'>, libraryVersion: string): string | undefined {
  const who = presetSource(p);
  const semver = loadSemver();
  if (p.peerRange === undefined) {
    return `${who}, which does not say which versions of ${LIBRARY} it is built for (no peerDependencies["${LIBRARY}"]). Fix (in the preset): add "peerDependencies": { "${LIBRARY}": "^${libraryVersion}" } and publish it again.`;
  }
  if (semver.validRange(p.peerRange) === null) {
    return `${who}, whose peerDependencies["${LIBRARY}"] is "${p.peerRange}": not a version range. Fix (in the preset): a range such as "^${libraryVersion}".`;
  }
  if (semver.satisfies(libraryVersion, p.peerRange, { includePrerelease: true })) return undefined;
  const minimum = semver.minVersion(p.peerRange)?.version;
  return `${who}, which is built for ${LIBRARY} ${p.peerRange} (its peerDependencies), but this repo has ${LIBRARY} ${libraryVersion}. Fix: install versions that fit, either ${LIBRARY} within ${p.peerRange} (pnpm add -D ${LIBRARY}@${minimum ? `^${minimum}` : `"${p.peerRange}"`}) or a version of ${p.name} built for ${LIBRARY} ${libraryVersion}.`;
}

/** What a preset's tasks and defaults are read from: its stamps decide whether a cached task list is still fresh. */
export function presetInputs(p: Preset): string[] {
  return [p.linkDir, path.join(p.dir, 'package.json'), presetTasksDir(p), ...CONFIG_FILES.map((f) => path.join(p.dir, f))];
}
