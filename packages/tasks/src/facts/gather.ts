/**
 * Gathers facts lazily and at most once per run: the planner asks for the union of what the planned tasks need,
 * and each fact is probed the first time it is asked for (a fact that depends on another, like the image list on
 * the docker client, asks for that one first). Every probe goes through exec/run-command.ts.
 */
import os from 'node:os';
import { workflowSpec } from '@promtior/env';
import { clientCache } from './client-cache.ts';
import { gatherCompose } from './compose.ts';
import { composeCache } from './compose-cache.ts';
import { directDaemonAddress } from './daemon-address.ts';
import { DIRECT_DEADLINE_MS } from './daemon-api.ts';
import { type DockerClients, gatherClients, gatherDocker } from './docker.ts';
import type { FactName, Facts } from './facts.ts';
import { gatherGit } from './git.ts';
import { directImages, gatherImages } from './images.ts';
import { gatherRegistry } from './registry.ts';
import { silentDaemonMs } from './silent-daemon.ts';
import { gatherVolumes } from './volumes.ts';

export interface FactSource {
  /** The named facts, each gathered on first use. */
  gather<N extends FactName>(names: readonly N[]): Promise<Pick<Facts, N>>;
}

export interface GatherOptions {
  /** The folder of the run (`-C`): where git is asked. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The run's one `now`. */
  now?: Date;
  /**
   * The image references the run's configuration names (the project's .env, --env-file, the shell): those not on
   * the machine are asked about by the registry fact. Default: the shared spec's defaults.
   */
  wantedImages?: () => Promise<readonly string[]>;
  /** The per-user cache folder: what the docker clients and compose are is remembered there between runs. */
  cacheRoot?: string;
}

const DEFAULT_IMAGES = [workflowSpec.PYTHON_IMAGE.default, workflowSpec.UV_IMAGE.default, workflowSpec.OLLAMA_IMAGE.default].filter(
  (r): r is string => r !== undefined,
);

export function factStore(opts: GatherOptions): FactSource {
  const memo = new Map<FactName, Promise<unknown>>();
  let silentMs: number | undefined;
  const daemonWait = () => (silentMs ??= silentDaemonMs(opts.env));
  const one = <N extends FactName>(name: N): Promise<Facts[N]> => {
    // A bad PROMTIOR_TASKS_DAEMON_TIMEOUT_MS is refused before the first fact is asked for, so no question to the
    // daemon (with its own deadline) is left running to keep the process, and the error, waiting.
    daemonWait();
    let p = memo.get(name);
    if (!p) {
      p = gatherers[name]();
      memo.set(name, p);
    }
    return p as Promise<Facts[N]>;
  };
  const now = opts.now ?? new Date();
  // The daemon's socket, when Node can ask it directly: the daemon facts then need no docker process, and the
  // image list is asked for at the same time as the clients are looked at. Where it cannot (ssh://, TLS, no
  // answer), each fact asks the CLI as before.
  const address = directDaemonAddress(opts.env);
  // A daemon found silent (facts/silent-daemon.ts) is not asked again through the CLI, which would wait for it
  // without end: the fact says why it is empty, and the engine check stops the run with the verdict.
  const unlessSilent = async <T>(ask: (bin: string) => Promise<T>, empty: (error: string) => T): Promise<T> => {
    const docker = await one('docker');
    return !docker.daemon.ok && docker.daemon.silent ? empty(docker.daemon.error) : ask(docker.bin);
  };
  // The clients apart from the daemon's answer: compose needs only them, and is not kept waiting on a slow daemon.
  let found: Promise<DockerClients> | undefined;
  const clients = () => {
    found ??= gatherClients(opts.env, opts.cwd, clientCache(opts.cacheRoot, opts.env));
    return found;
  };
  const gatherers: { [N in FactName]: () => Promise<Facts[N]> } = {
    docker: async () => gatherDocker(opts.env, opts.cwd, { address, found: clients(), silentMs: daemonWait() }),
    compose: async () => gatherCompose((await clients()).bin, opts.cwd, composeCache(opts.cacheRoot, opts.env)),
    images: async () =>
      // Never waits longer than the daemon is given (a wait set below the direct API's 2 s is the user's to set).
      (address ? await directImages(address, Math.min(DIRECT_DEADLINE_MS, daemonWait())) : undefined) ??
      unlessSilent(
        (bin) => gatherImages(bin, opts.cwd),
        (error) => ({ byRef: {}, error }),
      ),
    registry: async () => {
      const [docker, images, refs] = await Promise.all([one('docker'), one('images'), opts.wantedImages ? opts.wantedImages() : DEFAULT_IMAGES]);
      return gatherRegistry({ docker, images, refs, env: opts.env, cwd: opts.cwd, address: docker.api });
    },
    volumes: () =>
      unlessSilent(
        (bin) => gatherVolumes(bin, opts.cwd),
        (error) => ({ byName: {}, error }),
      ),
    git: () => gatherGit(opts.cwd, opts.env),
    clock: async () => ({ now }),
    user: async () => {
      const info = os.userInfo();
      return { uid: info.uid, gid: info.gid, name: info.username };
    },
    cores: async () => os.availableParallelism(),
  };
  return {
    async gather(names) {
      const values = await Promise.all(names.map((n) => one(n)));
      return Object.fromEntries(names.map((n, i) => [n, values[i]])) as Pick<Facts, (typeof names)[number]>;
    },
  };
}

/** Facts already known (a test's fake, a second plan in the same run). */
export function fixedFacts(facts: Facts): FactSource {
  return {
    async gather(names) {
      return Object.fromEntries(names.map((n) => [n, facts[n]])) as Pick<Facts, (typeof names)[number]>;
    },
  };
}
