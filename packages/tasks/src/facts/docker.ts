/**
 * The docker facts: which clients exist, which one we use, whether it can build with BuildKit, and the daemon's
 * answer. Several clients may be installed (here: Docker 28's CLI without buildx in /usr/local/bin, Debian's 20.10
 * CLI with BuildKit built in at /usr/bin). We take $DOCKER when set, else the first client on PATH that can run a
 * BuildKit build, else the first that answers. One `docker version` per client gives its version and the daemon's.
 * Each `docker` process costs 30-300 ms to start, so what a client is (its version, whether it has buildx) is kept
 * in the per-user cache until the binary or a buildx plugin changes (facts/client-cache.ts), and the daemon is
 * asked over its socket (GET /version) when that can be reached directly: a no-change run starts no docker process.
 * The clients are asked about themselves only (CLIENT_ONLY_ENV), and the daemon once, with a deadline: a daemon that
 * takes the connection and never answers gives the silent-daemon verdict (facts/silent-daemon.ts) instead of a hang.
 */
import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';
import { probe } from '../exec/run-command.ts';
import { type ClientCache, type KnownClient, noClientCache } from './client-cache.ts';
import { DEFAULT_DAEMON } from './daemon-address.ts';
import { daemonEndpoint, daemonGet } from './daemon-api.ts';
import type { BuildKit, DaemonAnswer, DockerClient, DockerFacts } from './facts.ts';
import { CLIENT_ONLY_ENV, SILENT_DAEMON_MS, silentAnswer } from './silent-daemon.ts';

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
  /** How long the daemon may stay silent (facts/silent-daemon.ts). */
  silentMs?: number;
  /** The clients, when the caller is already finding them (gatherClients): compose starts on them at once. */
  found?: Promise<DockerClients>;
}

function versionJson(stdout: string): VersionJson | undefined {
  try {
    return JSON.parse(stdout.split('\n')[0] ?? '') as VersionJson;
  } catch {
    return undefined;
  }
}

/** One client's version and whether it has buildx, asked of the client alone (no daemon to wait for). */
async function probeClient(bin: string, cwd: string): Promise<{ client: DockerClient; hasBuildx: boolean } | undefined> {
  const [v, buildx] = await Promise.all([
    probe([bin, 'version', '--format', '{{json .}}'], { cwd, env: CLIENT_ONLY_ENV }),
    probe([bin, 'buildx', 'version'], { cwd, env: CLIENT_ONLY_ENV }),
  ]);
  const version = versionJson(v.stdout)?.Client?.Version ?? '';
  if (!/^\d+\./.test(version)) return undefined;
  const hasBuildx = buildx.exitCode === 0;
  return { client: { bin, version, buildkit: buildkitOf(bin, version, hasBuildx) }, hasBuildx };
}

/** The daemon's answer through `bin version` (ssh://, TLS, a socket Node could not ask), silent after `ms`. */
async function daemonViaCli(bin: string, env: Env, cwd: string, ms: number): Promise<DaemonAnswer> {
  const v = await probe([bin, 'version', '--format', '{{json .}}'], { cwd, timeoutMs: ms });
  if (!v.timedOut) return daemonAnswer(versionJson(v.stdout), v.stderr, env);
  return silentAnswer(env.DOCKER_HOST || (env.DOCKER_CONTEXT ? `docker context ${env.DOCKER_CONTEXT}` : DEFAULT_DAEMON), ms);
}

/**
 * The daemon's GET /version: its answer, the silent verdict when it gave none within `ms`, or undefined when the
 * socket cannot be asked (refused, missing, not HTTP: the CLI is asked then, and says what is wrong in its words).
 */
async function directDaemon(address: string | undefined, ms: number): Promise<DaemonAnswer | undefined> {
  const endpoint = address ? daemonEndpoint(address) : undefined;
  if (!address || !endpoint || 'unsupported' in endpoint) return undefined;
  const reply = await daemonGet(endpoint, '/version', ms);
  if ('error' in reply) return reply.timedOut ? silentAnswer(address, ms, reply.accepted) : undefined;
  let server: { Version?: unknown; ApiVersion?: unknown } | undefined;
  try {
    server = reply.status === 200 ? (JSON.parse(reply.body) as typeof server) : undefined;
  } catch {
    server = undefined;
  }
  return typeof server?.Version === 'string'
    ? { ok: true, version: server.Version, api: typeof server.ApiVersion === 'string' ? server.ApiVersion : 'unknown' }
    : undefined;
}

/** The docker facts that are the clients' alone: found without waiting for the daemon (compose needs only these). */
export type DockerClients = Pick<DockerFacts, 'candidates' | 'clients' | 'chosen' | 'bin'>;

/** Every docker client, each from the cache or asked about itself, and the one the tasks use. */
export async function gatherClients(env: Env, cwd: string, cache: ClientCache = noClientCache): Promise<DockerClients> {
  const candidates = dockerCandidates(env);
  const known = candidates.map((bin) => cache.get(bin));
  const probed = await Promise.all(candidates.map((bin, i) => (known[i] ? undefined : probeClient(bin, cwd))));
  const learnt: KnownClient[] = [];
  const answers = candidates.map((bin, i) => {
    const k = known[i];
    if (k) return { bin, version: k.version, buildkit: buildkitOf(bin, k.version, k.hasBuildx) };
    const p = probed[i];
    if (p) learnt.push({ bin, version: p.client.version, hasBuildx: p.hasBuildx });
    return p?.client;
  });
  if (learnt.length > 0) cache.save(learnt);
  const clients = answers.filter((a) => a !== undefined);
  const chosen = chooseClient(clients);
  return { candidates, clients, chosen, bin: chosen?.bin ?? 'docker' };
}

export async function gatherDocker(env: Env, cwd: string, opts: DockerProbeOptions = {}): Promise<DockerFacts> {
  const silentMs = opts.silentMs ?? SILENT_DAEMON_MS;
  // The socket is asked while the clients not yet known are probed.
  const [direct, found] = await Promise.all([directDaemon(opts.address, silentMs), opts.found ?? gatherClients(env, cwd, opts.clients)]);
  const { chosen } = found;
  const noClient = { ok: false as const, host: env.DOCKER_HOST ?? DEFAULT_DAEMON, error: 'no docker client answered' };
  // The socket's answer (or its silence), else the chosen client's `docker version`: a daemon that is down or
  // elsewhere is described in the CLI's own words, as before.
  const daemon = direct ?? (chosen ? await daemonViaCli(chosen.bin, env, cwd, silentMs) : noClient);
  return { ...found, daemon, ...(direct?.ok && opts.address ? { api: opts.address } : {}) };
}
