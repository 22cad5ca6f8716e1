/**
 * The registry fact: for each configured image that is not on the machine, can the daemon pull it? Asked of the
 * daemon (GET /distribution/{ref}/json), so its mirrors, proxy and DNS decide, exactly as a pull would, and nothing
 * is pulled. Every question runs in parallel under one short deadline: a registry that does not answer is given up
 * on after REGISTRY_DEADLINE_MS, and choosing images never hangs. Also: how a build can share its cache.
 */
import { probe } from '../exec/run-command.ts';
import { daemonEndpoint, daemonGet, daemonJson } from './daemon-api.ts';
import type { DockerFacts, ImageFacts, PullAnswer, RegistryFacts } from './facts.ts';
import { imageId, normalizeRef } from './images.ts';

/** How long a registry may take to answer before the image counts as not pullable. */
export const REGISTRY_DEADLINE_MS = 3000;

type Env = Readonly<Record<string, string | undefined>>;

export interface RegistryProbeInput {
  docker: DockerFacts;
  images: ImageFacts;
  /** The image references the run's configuration names. */
  refs: readonly string[];
  env: Env;
  cwd: string;
  deadlineMs?: number;
  /** The daemon address to ask directly (facts/daemon-address.ts): no `docker context inspect`, no `docker info`. */
  address?: string;
}

export async function gatherRegistry(input: RegistryProbeInput): Promise<RegistryFacts> {
  const deadlineMs = input.deadlineMs ?? REGISTRY_DEADLINE_MS;
  const { bin } = input.docker;
  const missing = [...new Set(input.refs.map(normalizeRef))].filter((ref) => imageId(input.images, ref) === undefined);
  const [cacheExport, context] = await Promise.all([
    cacheExportOf(input.docker, input.cwd),
    input.address || input.env.DOCKER_HOST || !input.docker.daemon.ok ? undefined : contextHost(bin, input.cwd),
  ]);
  if (!input.docker.daemon.ok) {
    const down: PullAnswer = { ok: false, error: `the Docker daemon does not answer (${input.docker.daemon.error})`, timedOut: false, answered: false, ms: 0 };
    return { daemon: input.docker.daemon.host, mirrors: [], deadlineMs, pullable: Object.fromEntries(missing.map((ref) => [ref, down])), cacheExport };
  }
  const address = input.address || input.env.DOCKER_HOST || context || 'unix:///var/run/docker.sock';
  const [mirrors, answers] = await Promise.all([
    (input.address ? directMirrors(input.address) : Promise.resolve(undefined)).then((m) => m ?? daemonMirrors(bin, input.cwd)),
    (async () => {
      const endpoint = daemonEndpoint(address, input.env.DOCKER_TLS_VERIFY);
      if ('unsupported' in endpoint) {
        const no: PullAnswer = { ok: false, error: `cannot ask the daemon at ${endpoint.unsupported}`, timedOut: false, answered: false, ms: 0 };
        return missing.map((ref) => [ref, no] as const);
      }
      return Promise.all(missing.map(async (ref) => [ref, await askDaemon(endpoint, ref, deadlineMs)] as const));
    })(),
  ]);
  return { daemon: address, mirrors, deadlineMs, pullable: Object.fromEntries(answers), cacheExport };
}

async function askDaemon(endpoint: Parameters<typeof daemonGet>[0], ref: string, deadlineMs: number): Promise<PullAnswer> {
  const started = Date.now();
  const reply = await daemonGet(endpoint, `/distribution/${encodeURI(ref)}/json`, deadlineMs);
  return pullAnswer(reply, Date.now() - started);
}

/** The daemon's reply as an answer: its digest, or its own error text (the registry's, when the registry answered). */
export function pullAnswer(reply: Awaited<ReturnType<typeof daemonGet>>, ms: number): PullAnswer {
  if ('error' in reply) return { ok: false, error: reply.error, timedOut: reply.timedOut, answered: false, ms };
  let json: { Descriptor?: { digest?: string }; message?: string } = {};
  try {
    json = JSON.parse(reply.body) as typeof json;
  } catch {
    // Not JSON: keep the text.
  }
  const digest = json.Descriptor?.digest;
  if (reply.status === 200 && digest) return { ok: true, digest, ms };
  const error = (json.message ?? reply.body).trim() || `HTTP ${reply.status}`;
  // The registry itself answered (no such image, credentials needed), as opposed to a network failure on the way.
  const answered = [401, 403, 404].includes(reply.status) || /manifest unknown|not found|unauthorized|denied|authentication required/i.test(error);
  return { ok: false, error, timedOut: false, answered, ms };
}

/** The current docker context's address when DOCKER_HOST is not set (`docker context use` elsewhere). */
async function contextHost(bin: string, cwd: string): Promise<string | undefined> {
  const r = await probe([bin, 'context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'], { cwd, timeoutMs: 5000 });
  return r.exitCode === 0 && r.stdout ? r.stdout : undefined;
}

/** The mirrors from the daemon's GET /info, or undefined when its socket cannot be asked. */
async function directMirrors(address: string): Promise<string[] | undefined> {
  const r = await daemonJson(address, '/info');
  const list = r && 'json' in r ? (r.json as { RegistryConfig?: { Mirrors?: unknown } } | null)?.RegistryConfig?.Mirrors : undefined;
  return Array.isArray(list) ? list.filter((m): m is string => typeof m === 'string') : r && 'json' in r ? [] : undefined;
}

/** The Docker Hub mirrors the daemon pulls through (`--registry-mirror`, daemon.json's registry-mirrors). */
async function daemonMirrors(bin: string, cwd: string): Promise<string[]> {
  const r = await probe([bin, 'info', '--format', '{{json .RegistryConfig.Mirrors}}'], { cwd, timeoutMs: 5000 });
  try {
    const list = JSON.parse(r.stdout) as unknown;
    return Array.isArray(list) ? list.filter((m): m is string => typeof m === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The cache a build can push to a registry: a registry cache needs buildx with a builder that can export it (the
 * `docker` driver cannot); otherwise the inline cache, which rides in the pushed image and every client imports.
 */
async function cacheExportOf(docker: DockerFacts, cwd: string): Promise<RegistryFacts['cacheExport']> {
  const c = docker.chosen;
  if (!c?.buildkit.ok) return { kind: 'inline', why: 'no BuildKit client' };
  // `buildx inspect` asks the daemon: one that did not answer the docker fact would keep it waiting.
  if (!docker.daemon.ok) return { kind: 'inline', why: `the Docker daemon does not answer (${docker.daemon.error})` };
  if (c.buildkit.via === 'builtin') return { kind: 'inline', why: `docker ${c.version} has BuildKit built in, which exports only the inline cache` };
  const r = await probe([c.bin, 'buildx', 'inspect'], { cwd, timeoutMs: 5000 });
  const driver = /^Driver:\s*(\S+)/m.exec(r.stdout)?.[1] ?? 'unknown';
  return driver === 'docker'
    ? { kind: 'inline', why: "buildx's builder uses the docker driver, which cannot export a registry cache (docker buildx create --use makes one that can)" }
    : { kind: 'registry', why: `buildx builder with the ${driver} driver` };
}
