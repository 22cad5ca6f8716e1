/**
 * Which compose answers (v2 plugin or v1 `docker-compose`, and its version), remembered in the per-user cache like
 * the docker clients (facts/client-cache.ts). Learning it costs `docker compose version` and, where v2 is missing,
 * `docker-compose version`: a Python start of ~1 s here (3 s on a busy machine), on the critical path of every
 * docker-run and docker-dev. An entry holds while the docker binary, every place a compose plugin could be, the
 * CLI's config.json (it may name more plugin folders) and the `docker-compose` that PATH finds are unchanged; an
 * upgrade or install rewrites one of them, and compose is probed afresh. "No compose" is never remembered.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { readOwned, stampOf, writeOwned } from '../registry/cache.cjs';
import { pluginDirs } from './client-cache.ts';
import { dockerConfigDir } from './daemon-address.ts';
import type { ComposeFlavor } from './facts.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface ComposeCache {
  get(dockerBin: string): ComposeFlavor | undefined;
  save(dockerBin: string, flavor: ComposeFlavor): void;
}

export const noComposeCache: ComposeCache = { get: () => undefined, save: () => {} };

const FORMAT = 'promtior-tasks compose 1';

/** The first `docker-compose` on PATH (as the spawn would find it), resolved; null when there is none. */
function composeOnPath(env: Env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, 'docker-compose');
    if (stampOf(file) === null) continue;
    try {
      return realpathSync(file);
    } catch {
      return null;
    }
  }
  return null;
}

/** What an entry is judged by: the files (and their stamps) whose change could change the answer. */
function stampsOf(dockerBin: string, env: Env): [string, string | null][] {
  let docker = dockerBin;
  try {
    docker = realpathSync(dockerBin);
  } catch {
    // A bare name: its stamp is null, and stays null until it becomes a file.
  }
  const v1 = composeOnPath(env);
  const files = [docker, path.join(dockerConfigDir(env), 'config.json'), ...pluginDirs(env).map((d) => path.join(d, 'docker-compose')), ...(v1 ? [v1] : [])];
  return [['PATH docker-compose', v1], ...files.map((f): [string, string | null] => [f, stampOf(f)])];
}

export function composeCache(root: string | undefined, env: Env): ComposeCache {
  if (!root) return noComposeCache;
  const file = path.join(root, 'docker-compose.json');
  const read = (): Record<string, { flavor: ComposeFlavor; stamps: [string, string | null][] }> => {
    try {
      const data = JSON.parse(readOwned(file) ?? '{}') as { format?: string; entries?: ReturnType<typeof read> };
      return data.format === FORMAT && data.entries ? data.entries : {};
    } catch {
      return {};
    }
  };
  return {
    get(dockerBin) {
      const e = read()[dockerBin];
      return e && JSON.stringify(e.stamps) === JSON.stringify(stampsOf(dockerBin, env)) ? e.flavor : undefined;
    },
    save(dockerBin, flavor) {
      writeOwned(file, JSON.stringify({ format: FORMAT, entries: { ...read(), [dockerBin]: { flavor, stamps: stampsOf(dockerBin, env) } } }));
    },
  };
}
