/**
 * The docker facts: which clients exist, which one we use, whether it can build with BuildKit, and the daemon's
 * answer. Several clients may be installed (here: Docker 28's CLI without buildx in /usr/local/bin, Debian's 20.10
 * CLI with BuildKit built in at /usr/bin). We take $DOCKER when set, else the first client on PATH that can run a
 * BuildKit build, else the first that answers. One `docker version` per client gives its version and the daemon's.
 */
import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';
import { probe } from '../exec/run-command.ts';
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

export async function gatherDocker(env: Env, cwd: string): Promise<DockerFacts> {
  const candidates = dockerCandidates(env);
  const answers = await Promise.all(
    candidates.map(async (bin) => {
      const [v, buildx] = await Promise.all([probe([bin, 'version', '--format', '{{json .}}'], { cwd }), probe([bin, 'buildx', 'version'], { cwd })]);
      let json: VersionJson | undefined;
      try {
        json = JSON.parse(v.stdout.split('\n')[0] ?? '') as VersionJson;
      } catch {
        json = undefined;
      }
      const version = json?.Client?.Version ?? '';
      if (!/^\d+\./.test(version)) return undefined;
      const client: DockerClient = { bin, version, buildkit: buildkitOf(bin, version, buildx.exitCode === 0) };
      return { client, daemon: daemonAnswer(json, v.stderr, env) };
    }),
  );
  const answered = answers.filter((a) => a !== undefined);
  const clients = answered.map((a) => a.client);
  const chosen = chooseClient(clients);
  const daemon = answered.find((a) => a.client === chosen)?.daemon ?? {
    ok: false as const,
    host: env.DOCKER_HOST ?? 'unix:///var/run/docker.sock',
    error: 'no docker client answered',
  };
  return { candidates, clients, chosen, bin: chosen?.bin ?? 'docker', daemon };
}
