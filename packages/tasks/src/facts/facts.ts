/**
 * What the machine is, gathered once per run before any task plans (facts/gather.ts), so that plans themselves
 * stay pure: the same options, context and facts always give the same steps. A task declares the facts it reads
 * (`needs: ['docker', 'images']`) and receives only those; tests hand it a fake (facts/fake.ts).
 */

/** How BuildKit builds run with a docker client, or why they cannot. */
export type BuildKit = { ok: true; via: 'buildx' | 'builtin' } | { ok: false; why: string };

export interface DockerClient {
  bin: string;
  version: string;
  buildkit: BuildKit;
}

/**
 * The daemon's answer (GET /version on its socket, else the chosen client's `docker version`). `silent`: it took the
 * connection but gave no answer in time (facts/silent-daemon.ts), and is not asked again in this run.
 */
export type DaemonAnswer = { ok: true; version: string; api: string } | { ok: false; host: string; error: string; silent?: true };

export interface DockerFacts {
  /** Every docker program found ($DOCKER, else each `docker` on PATH), whether it answered or not. */
  candidates: readonly string[];
  /** Those that answered `docker version`, in PATH order. */
  clients: readonly DockerClient[];
  /** The client every task uses: the first with BuildKit, else the first that answered. */
  chosen: DockerClient | undefined;
  /** `chosen.bin`, or plain `docker` when none answered (the run then fails with the fix). */
  bin: string;
  daemon: DaemonAnswer;
  /**
   * The address the daemon answered at when asked directly over its socket (facts/daemon-address.ts): later
   * questions (an image's labels) go there too. Absent when only the CLI reaches it (ssh://, TLS, no answer).
   */
  api?: string;
}

export type ComposeKind = 'v1' | 'v2';

/** Compose v2 (the docker plugin) when it answers, else v1 (`docker-compose`); undefined when neither does. */
export interface ComposeFlavor {
  kind: ComposeKind;
  argv: readonly string[];
  version: string;
  /**
   * Variables every compose command gets. v1 on Python 3.11 imports `distutils`, which setuptools' shim turns into
   * an import of setuptools and pkg_resources: ~0.5 s of every compose start here. `SETUPTOOLS_USE_DISTUTILS=stdlib`
   * gives it the standard library's (what compose uses of it, find_executable and LooseVersion, is the same), and
   * is set only where compose answered with it (facts/compose.ts).
   */
  env?: Readonly<Record<string, string>>;
}

export interface ImageFacts {
  /** `repo:tag` (as `docker image ls` names it) → image id, for every tagged image on the machine. */
  byRef: Readonly<Record<string, string>>;
  /** Why the list is empty when the engine did not answer. */
  error?: string;
}

/** The daemon's answer to "could you pull this?" for one image (nothing pulled). */
export type PullAnswer =
  | { ok: true; digest: string; ms: number }
  | {
      ok: false;
      /** The daemon's error text: the registry's own when it answered, else the network's. */
      error: string;
      /** No answer within the deadline. */
      timedOut: boolean;
      /** The registry answered (no such image, credentials needed) rather than failing to answer. */
      answered: boolean;
      ms: number;
    };

export interface RegistryFacts {
  /** The daemon that was asked (its address). */
  daemon: string;
  /** The Docker Hub mirrors that daemon pulls through. */
  mirrors: readonly string[];
  /** How long each answer was waited for. */
  deadlineMs: number;
  /** For each configured image not on the machine (normalised as `docker image ls` names it): can it be pulled. */
  pullable: Readonly<Record<string, PullAnswer>>;
  /** How a build shares its cache through a registry with this client, and why. */
  cacheExport: { kind: 'inline' | 'registry'; why: string };
}

export interface VolumeFacts {
  /** Every named volume on the machine, with the compose project that created it (its label), if any. */
  byName: Readonly<Record<string, { project?: string }>>;
  /** Why the list is empty when the engine did not answer. */
  error?: string;
}

export interface GitFacts {
  /** HEAD's commit, or undefined outside a git work tree. */
  revision?: string;
  /** HEAD's commit time in seconds since the epoch: a build date that changes only with the source. */
  commitTime?: number;
  /** Uncommitted changes to tracked files. */
  dirty: boolean;
}

export interface UserFacts {
  uid: number;
  gid: number;
  name: string;
}

export interface Facts {
  docker: DockerFacts;
  compose: ComposeFlavor | undefined;
  images: ImageFacts;
  registry: RegistryFacts;
  volumes: VolumeFacts;
  git: GitFacts;
  /** One `now` per run: every step that needs the time of the run sees the same one. */
  clock: { now: Date };
  user: UserFacts;
  cores: number;
}

export type FactName = keyof Facts;

export const FACT_NAMES: readonly FactName[] = ['docker', 'compose', 'images', 'registry', 'volumes', 'git', 'clock', 'user', 'cores'];

/** The facts a task declared, and nothing else. */
export type FactsOf<N extends FactName> = Pick<Facts, N>;
