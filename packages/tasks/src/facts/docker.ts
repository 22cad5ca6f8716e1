/**
 * The docker facts: which clients exist, which one we use, whether it can build with BuildKit, and the daemon's
 * answer. Several clients may be installed (here: Docker 28's CLI without buildx in /usr/local/bin, Debian's 20.10
 * CLI with BuildKit built in at /usr/bin). We take $DOCKER when set, else the first client on PATH that can run a
 * BuildKit build, else the first that answers. One `docker version` per client gives its version and the daemon's.
 * Each `docker` process costs 30-300 ms to start, so what a client is (its version, whether it has buildx) is kept
 * in the per-user cache until the binary or a buildx plugin changes (facts/client-cache.ts), and the daemon is
 * asked over its socket (GET /version) when that can be reached directly: a no-change run starts no docker process.
 */
import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';
import { probe } from '../exec/run-command.ts';
import { type ClientCache, type KnownClient, noClientCache } from './client-cache.ts';
import { DEFAULT_DAEMON } from './daemon-address.ts';
import { daemonJson } from './daemon-api.ts';
import type { BuildKit, DaemonAnswer, DockerClient, DockerFacts } from './facts.ts';

type Env = Readonly<Record<string, string | undefined>>;

export function dockerCandidates(env: Env): string[] {
  if (env.DOCKER) return [env.DOCKER];
  const seen = new Set<string>();
  const found: string[] = [];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const bin = path.join(dir, 'docker');
    try {
      accessSync(bin, constants.X_OK);
      const real = realpathSync(bin);
      if (!seen.has(real)) {
        seen.add(real);
        found.push(bin);
      }
    } catch {
      // Not here.
    }
  }
  return found;
}

/** Before 23.0 the CLI had BuildKit built in (DOCKER_BUILDKIT=1); from 23.0 it needs the buildx plugin. */
export function buildkitOf(bin: string, version: string, hasBuildx: boolean): BuildKit {
  if (hasBuildx) return { ok: true, via: 'buildx' };
  if (Number.parseInt(version, 10) < 23) return { ok: true, via: 'builtin' };
  return { ok: false, why: `docker ${version} at ${bin} has no buildx plugin, and since Docker 23 BuildKit builds need it` };
}

/** The client every task uses: the first with BuildKit, else the first that answered. */
export function chooseClient(clients: readonly DockerClient[]): DockerClient | undefined {
  return clients.find((c) => c.buildkit.ok) ?? clients[0];
}

interface VersionJson {
  Client?: { Version?: string };
  Server?: { Version?: string; ApiVersion?: string } | null;
}

/** The daemon's answer from `docker version`'s JSON and error text (20.10 and 28 print the same shape). */
export function daemonAnswer(json: VersionJson | undefined, stderr: string, env: Env): DaemonAnswer {
  const server = json?.Server;
  if (server?.Version) return { ok: true, version: server.Version, api: server.ApiVersion ?? 'unknown' };
  const lines = stderr.split('\n');
  const error = (lines.find((l) => /cannot connect|permission denied|error/i.test(l)) ?? lines[0] ?? '').trim() || 'no answer';
  return { ok: false, host: env.DOCKER_HOST ?? 'unix:///var/run/docker.sock', error };
}

export interface DockerProbeOptions {
  /** The daemon address to ask directly (facts/daemon-address.ts), or undefined: ask through the CLI. */
  address?: string;
  /** What earlier runs learnt about the clients. */
  clients?: ClientCache;
}

/** One client's `docker version` (client and daemon) and `docker buildx version`. */
async function probeClient(bin: string, env: Env, cwd: string): Promise<{ client: DockerClient; daemon: DaemonAnswer; hasBuildx: boolean } | undefined> {
  const [v, buildx] = await Promise.all([probe([bin, 'version', '--format', '{{json .}}'], { cwd }), probe([bin, 'buildx', 'version'], { cwd })]);
  let json: VersionJson | undefined;
  try {
    json = JSON.parse(v.stdout.split('\n')[0] ?? '') as VersionJson;
  } catch {
    json = undefined;
  }
  const version = json?.Client?.Version ?? '';
  if (!/^\d+\./.test(version)) return undefined;
  const hasBuildx = buildx.exitCode === 0;
  return { client: { bin, version, buildkit: buildkitOf(bin, version, hasBuildx) }, daemon: daemonAnswer(json, v.stderr, env), hasBuildx };
}

/** The daemon's GET /version, or undefined when the socket cannot be asked (the CLI is asked then). */
async function directDaemon(address: string | undefined): Promise<DaemonAnswer | undefined> {
  if (!address) return undefined;
  const r = await daemonJson(address, '/version');
  const server = r && 'json' in r ? (r.json as { Version?: unknown; ApiVersion?: unknown }) : undefined;
  return typeof server?.Version === 'string'
    ? { ok: true, version: server.Version, api: typeof server.ApiVersion === 'string' ? server.ApiVersion : 'unknown' }
    : undefined;
}

export async function gatherDocker(env: Env, cwd: string, opts: DockerProbeOptions = {}): Promise<DockerFacts> {
  const cache = opts.clients ?? noClientCache;
  const candidates = dockerCandidates(env);
  const known = candidates.map((bin) => cache.get(bin));
  // The socket is asked while the clients not yet known are probed.
  const [direct, probed] = await Promise.all([
    directDaemon(opts.address),
    Promise.all(candidates.map((bin, i) => (known[i] ? undefined : probeClient(bin, env, cwd)))),
  ]);
  const learnt: KnownClient[] = [];
  const answers = candidates.map((bin, i) => {
    const k = known[i];
    if (k) return { client: { bin, version: k.version, buildkit: buildkitOf(bin, k.version, k.hasBuildx) }, daemon: undefined };
    const p = probed[i];
    if (p) learnt.push({ bin, version: p.client.version, hasBuildx: p.hasBuildx });
    return p;
  });
  if (learnt.length > 0) cache.save(learnt);
  const answered = answers.filter((a) => a !== undefined);
  const clients = answered.map((a) => a.client);
  const chosen = chooseClient(clients);
  const noClient = { ok: false as const, host: env.DOCKER_HOST ?? DEFAULT_DAEMON, error: 'no docker client answered' };
  // The socket's answer, else the chosen client's `docker version` (probed now if it came from the cache): a daemon
  // that is down or elsewhere is described in the CLI's own words, as before.
  const viaCli = async (client: DockerClient) =>
    answered.find((a) => a.client === client)?.daemon ?? (await probeClient(client.bin, env, cwd))?.daemon ?? noClient;
  const daemon = direct ?? (chosen ? await viaCli(chosen) : noClient);
  return { candidates, clients, chosen, bin: chosen?.bin ?? 'docker', daemon, ...(direct && opts.address ? { api: opts.address } : {}) };
}
