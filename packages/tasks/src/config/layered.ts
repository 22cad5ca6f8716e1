/**
 * The config a repo's tasks see: the defaults of each preset it extends, in order, then its own tasks.config.ts
 * (config/merge.ts). Each file is validated on its own, so a problem is named in the file that has it.
 */
import path from 'node:path';
import { ErrorCode, TaskError } from '../errors.ts';
import { configFile } from './files.ts';
import { loadConfig, readConfig } from './load.ts';
import { type Layer, mergeLayers } from './merge.ts';
import { type Preset, presetSource, resolvePreset } from './presets.ts';
import type { RepoConfig } from './schema.ts';

export interface LayeredConfig {
  config: RepoConfig;
  presets: Preset[];
  /** Dotted key path → where its value comes from (`@team/tasks@0.2.0`, `tasks.config.ts`). */
  sources: Record<string, string>;
}

/**
 * The presets the repo's config names, installed and checked, before anything else of the config is validated (the
 * task list needs them first). A config that does not load names none here: its error is reported by loadLayered.
 */
export async function findPresets(cwd: string, libraryVersion: string): Promise<Preset[]> {
  let found: Awaited<ReturnType<typeof readConfig>>;
  try {
    found = await readConfig(cwd);
  } catch {
    return [];
  }
  const names = found && typeof found.raw === 'object' && found.raw !== null ? (found.raw as { extends?: unknown }).extends : undefined;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return [];
  const shown = path.basename(found?.file ?? 'tasks.config.ts');
  return names.map((n) => resolvePreset(n, cwd, libraryVersion, shown));
}

/** `names`: tasks a repo may turn off (built-ins and the presets' tasks), to check `disable` against. */
export async function loadLayered(cwd: string, libraryVersion: string, names?: readonly string[]): Promise<LayeredConfig> {
  const own = await loadConfig(cwd, names);
  const file = configFile(cwd);
  const shown = file ? path.basename(file) : 'tasks.config.ts';
  const presets = (own.extends ?? []).map((n) => resolvePreset(n, cwd, libraryVersion, shown));
  const layers: Layer[] = [];
  for (const p of presets) {
    const defaults = await loadConfig(p.dir, names);
    if (defaults.extends?.length) {
      throw new TaskError(
        ErrorCode.badConfig,
        `${presetSource(p)}: its tasks.config extends ${defaults.extends.join(', ')}; a preset cannot extend another (yet). Fix (in the preset): copy what it needs, or have repos extend both.`,
      );
    }
    layers.push({ source: presetSource(p), config: defaults });
  }
  layers.push({ source: shown, config: own });
  const merged = mergeLayers(layers);
  return { config: { ...merged.config, ...(own.extends ? { extends: own.extends } : {}) } as RepoConfig, presets, sources: merged.sources };
}
