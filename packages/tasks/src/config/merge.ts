/**
 * Configs in layers: the presets' defaults in `extends` order, then the repo's own file; a later layer wins. Objects
 * merge key by key (a repo may set one compose file list, or one variable, and keep the preset's others); a value
 * that is not a plain object (text, a number, a list) is replaced whole. Every leaf remembers the layer it came from,
 * for `task config --explain`. Pure: no I/O.
 */

export interface Layer {
  /** `@team/tasks@0.2.0`, or `tasks.config.ts`. */
  source: string;
  config: Record<string, unknown>;
}

export interface Merged {
  config: Record<string, unknown>;
  /** Dotted key path of each leaf (`composeFiles.full`, `env.CHROMA_DIR.default`) → the layer that set it. */
  sources: Record<string, string>;
}

/** Keys that only ever mean something in the file they are written in. */
const OWN_KEYS = new Set(['extends']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function mergeLayers(layers: readonly Layer[]): Merged {
  const config: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  const put = (into: Record<string, unknown>, from: Record<string, unknown>, source: string, prefix: string) => {
    for (const [key, value] of Object.entries(from)) {
      if (value === undefined) continue;
      const at = `${prefix}${key}`;
      if (isPlainObject(value)) {
        // A leaf that becomes an object (or the first time): start afresh below it.
        if (!isPlainObject(into[key])) {
          into[key] = {};
          dropBelow(sources, at);
        }
        put(into[key] as Record<string, unknown>, value, source, `${at}.`);
        continue;
      }
      dropBelow(sources, at);
      into[key] = Array.isArray(value) ? [...value] : value;
      sources[at] = source;
    }
  };
  for (const layer of layers) {
    const own = Object.fromEntries(Object.entries(layer.config).filter(([k]) => !OWN_KEYS.has(k)));
    put(config, own, layer.source, '');
  }
  return { config, sources };
}

/** Forgets the sources of `at` and everything below it: a later layer replaced them. */
function dropBelow(sources: Record<string, string>, at: string): void {
  for (const key of Object.keys(sources)) if (key === at || key.startsWith(`${at}.`)) delete sources[key];
}
