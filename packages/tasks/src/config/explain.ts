/**
 * `task config --explain`: every key a layer set, with its value and the layer it comes from (a preset and its
 * version, or the repo's own file), after the merge. Pure text from a LayeredConfig.
 */
import path from 'node:path';
import type { LayeredConfig } from './layered.ts';
import { presetSource } from './presets.ts';

/** The value at a dotted key path of the merged config. */
function valueAt(config: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), config);
}

export function explainText(layered: LayeredConfig, library: string, cwd: string): string {
  const presets = layered.presets.map((p) => `${presetSource(p)} (${path.relative(cwd, p.dir) || p.dir})`);
  const rows = Object.keys(layered.sources)
    .sort()
    .map((key) => [key, JSON.stringify(valueAt(layered.config, key)), layered.sources[key] as string]);
  const width = (i: number) => Math.max(0, ...rows.map((r) => (r[i] as string).length));
  const lines = [
    `presets (extends, later wins): ${presets.length > 0 ? presets.join(', ') : 'none'}`,
    `precedence: tasks.config.ts over ${presets.length > 0 ? 'the presets, over ' : ''}the built-in defaults of ${library}`,
    '',
    ...(rows.length > 0
      ? [['key', 'value', 'from'], ...rows].map(([k, v, s]) => `${(k as string).padEnd(width(0))}  ${(v as string).padEnd(width(1))}  ${s}`)
      : ['no key is set: every task uses its built-in defaults']),
    '',
    `keys not listed take the built-in defaults of ${library} (docs/configuration.md)`,
  ];
  return lines.join('\n');
}
