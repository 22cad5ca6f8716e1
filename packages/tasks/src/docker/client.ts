/**
 * Which docker client to use. Several may be installed (here: Docker 28's CLI without the buildx plugin in
 * /usr/local/bin, Debian's 20.10 CLI with built-in BuildKit in /usr/bin). We take $DOCKER when set, else the first
 * client on PATH that can run a BuildKit build, else the first one at all (and doctor says why).
 */
import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';
import { capture } from '../exec/run-command.ts';

export interface DockerClient {
  bin: string;
  version: string;
  /** How BuildKit builds run with this client, or why they cannot. */
  buildkit: { ok: true; via: 'buildx' | 'builtin' } | { ok: false; why: string };
}

export function dockerCandidates(env: Readonly<Record<string, string | undefined>>): string[] {
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

export async function probeClient(bin: string, cwd: string): Promise<DockerClient | undefined> {
  const v = await capture([bin, 'version', '--format', '{{.Client.Version}}'], cwd);
  const version = v.stdout.split('\n')[0]?.trim() ?? '';
  if (!/^\d+\./.test(version)) return undefined;
  const buildx = await capture([bin, 'buildx', 'version'], cwd);
  if (buildx.exitCode === 0) return { bin, version, buildkit: { ok: true, via: 'buildx' } };
  // Before 23.0 the CLI had BuildKit built in (DOCKER_BUILDKIT=1); from 23.0 it needs the buildx plugin.
  const major = Number.parseInt(version, 10);
  if (major < 23) return { bin, version, buildkit: { ok: true, via: 'builtin' } };
  return { bin, version, buildkit: { ok: false, why: `docker ${version} at ${bin} has no buildx plugin, and since Docker 23 BuildKit builds need it` } };
}

let chosen: Promise<DockerClient | undefined> | undefined;

/** The client used for builds and everything else; probed once per process. */
export function chooseClient(env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<DockerClient | undefined> {
  chosen ??= (async () => {
    const clients: DockerClient[] = [];
    for (const bin of dockerCandidates(env)) {
      const c = await probeClient(bin, cwd);
      if (c?.buildkit.ok) return c;
      if (c) clients.push(c);
    }
    return clients[0];
  })();
  return chosen;
}
