/** Compose v2 (`docker compose`, a CLI plugin) when it answers, else v1 (`docker-compose`, Python). */
import { probe } from '../exec/run-command.ts';
import { type ComposeCache, noComposeCache } from './compose-cache.ts';
import type { ComposeFlavor } from './facts.ts';
import { CLIENT_ONLY_ENV } from './silent-daemon.ts';

export async function gatherCompose(dockerBin: string, cwd: string, cache: ComposeCache = noComposeCache): Promise<ComposeFlavor | undefined> {
  // Known from an earlier run while nothing it depends on changed (facts/compose-cache.ts): no process at all.
  const known = cache.get(dockerBin);
  if (known) return known;
  const found = await probeCompose(dockerBin, cwd);
  if (found) cache.save(dockerBin, found);
  return found;
}

/** Compose v1 without setuptools' distutils shim (the ComposeFlavor `env` says why). */
const STDLIB_DISTUTILS = { SETUPTOOLS_USE_DISTUTILS: 'stdlib' };

// Each version question is the client's alone (CLIENT_ONLY_ENV): a plugin that pings the daemon would otherwise wait
// on a hung one. The flavor's own `env` stays without it: the compose commands the tasks run must reach the daemon.
async function probeCompose(dockerBin: string, cwd: string): Promise<ComposeFlavor | undefined> {
  const v2 = await probe([dockerBin, 'compose', 'version', '--short'], { cwd, env: CLIENT_ONLY_ENV });
  if (v2.exitCode === 0 && /^v?2\./.test(v2.stdout)) return { kind: 'v2', argv: [dockerBin, 'compose'], version: v2.stdout };
  // The standard library's distutils first: where it is missing (Python 3.12+) compose fails to start with it, and
  // is asked again as it is.
  const fast = await probe(['docker-compose', 'version', '--short'], { cwd, env: { ...CLIENT_ONLY_ENV, ...STDLIB_DISTUTILS } });
  if (fast.exitCode === 0 && /^\d/.test(fast.stdout)) return { kind: 'v1', argv: ['docker-compose'], version: fast.stdout, env: STDLIB_DISTUTILS };
  const v1 = await probe(['docker-compose', 'version', '--short'], { cwd, env: CLIENT_ONLY_ENV });
  if (v1.exitCode === 0 && /^\d/.test(v1.stdout)) return { kind: 'v1', argv: ['docker-compose'], version: v1.stdout };
  return undefined;
}
