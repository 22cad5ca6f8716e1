/**
 * The address the docker CLI would talk to, worked out the way the CLI does it but without running it (a `docker
 * context inspect` costs a process): DOCKER_HOST, else the context DOCKER_CONTEXT or config.json's currentContext
 * names (its meta.json under contexts/meta/<sha256 of the name>/), else the default socket. Only an address Node
 * can ask directly counts (a unix socket, plain tcp): ssh://, TLS (DOCKER_TLS_VERIFY, a context with TLS files)
 * and anything unreadable give undefined, and the callers use the CLI, which knows those.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { daemonEndpoint } from './daemon-api.ts';

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_DAEMON = 'unix:///var/run/docker.sock';

/** The docker CLI's config folder: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: Env): string {
  return env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The daemon address to ask directly, or undefined when only the docker CLI can reach it. */
export function directDaemonAddress(env: Env): string | undefined {
  const usable = (address: string) => ('unsupported' in daemonEndpoint(address, env.DOCKER_TLS_VERIFY) ? undefined : address);
  if (env.DOCKER_HOST) return usable(env.DOCKER_HOST);
  const configDir = dockerConfigDir(env);
  let context = env.DOCKER_CONTEXT;
  if (!context) {
    const file = path.join(configDir, 'config.json');
    const config = existsSync(file) ? readJson(file) : {};
    // A config.json the CLI would fail on: let the CLI say so.
    if (!config) return undefined;
    context = typeof config.currentContext === 'string' ? config.currentContext : undefined;
  }
  if (!context || context === 'default') return usable(DEFAULT_DAEMON);
  const id = createHash('sha256').update(context).digest('hex');
  if (existsSync(path.join(configDir, 'contexts', 'tls', id))) return undefined;
  const meta = readJson(path.join(configDir, 'contexts', 'meta', id, 'meta.json'));
  const host = (meta?.Endpoints as { docker?: { Host?: unknown } } | undefined)?.docker?.Host;
  return typeof host === 'string' && host ? usable(host) : undefined;
}
