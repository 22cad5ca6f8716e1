/**
 * What each docker client is (its version, whether it has the buildx plugin), remembered in the per-user cache
 * (registry/cache.cjs: owner-checked, 0600) so that a run does not start two `docker` processes per client to learn
 * it again. An entry holds while the binary (its real path, mtime and size) and every place the CLI looks for
 * docker-buildx are as they were; a client upgraded, or a plugin installed or removed, is probed afresh.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { readOwned, stampOf, writeOwned } from '../registry/cache.cjs';
import { dockerConfigDir } from './daemon-address.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface KnownClient {
  bin: string;
  version: string;
  hasBuildx: boolean;
}

export interface ClientCache {
  get(bin: string): KnownClient | undefined;
  save(clients: readonly KnownClient[]): void;
}

export const noClientCache: ClientCache = { get: () => undefined, save: () => {} };

const FORMAT = 'promtior-tasks docker clients 1';

/** Where the docker CLI finds its plugins (cli-plugins/manager, unix): the user's folder first, then the system's. */
export function pluginDirs(env: Env): string[] {
  const config = dockerConfigDir(env);
  return [
    path.join(config, 'cli-plugins'),
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins',
  ];
}

interface Entry extends KnownClient {
  stamps: [string, string | null][];
}

/** What an entry for `bin` is judged by; config.json too, since it may name more plugin folders. */
function stampsOf(bin: string, env: Env): [string, string | null][] | undefined {
  let real: string;
  try {
    real = realpathSync(bin);
  } catch {
    return undefined;
  }
  const files = [real, path.join(dockerConfigDir(env), 'config.json'), ...pluginDirs(env).map((d) => path.join(d, 'docker-buildx'))];
  return files.map((f) => [f, stampOf(f)]);
}

export function clientCache(root: string | undefined, env: Env): ClientCache {
  if (!root) return noClientCache;
  const file = path.join(root, 'docker-clients.json');
  let entries: Record<string, Entry> | undefined;
  const read = (): Record<string, Entry> => {
    if (entries) return entries;
    try {
      const data = JSON.parse(readOwned(file) ?? '{}') as { format?: string; clients?: Record<string, Entry> };
      entries = data.format === FORMAT && data.clients ? data.clients : {};
    } catch {
      entries = {};
    }
    return entries;
  };
  return {
    get(bin) {
      const e = read()[bin];
      const now = stampsOf(bin, env);
      if (!e || !now || JSON.stringify(now) !== JSON.stringify(e.stamps)) return undefined;
      return { bin, version: e.version, hasBuildx: e.hasBuildx };
    },
    save(clients) {
      const all = { ...read() };
      for (const c of clients) {
        const stamps = stampsOf(c.bin, env);
        if (stamps) all[c.bin] = { ...c, stamps };
      }
      entries = all;
      writeOwned(file, JSON.stringify({ format: FORMAT, clients: all }));
    },
  };
}
