/**
 * A real image registry on loopback (Debian's `docker-registry`, the CNCF distribution registry), seeded from the
 * offline-built images under their upstream names, for the tests of the registry path (and its benchmark).
 * Each registry lives in a temp folder and is stopped, folder and all, by `stop()` (also at process exit).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { alive, onExit, untilTrue } from './processes.ts';

export interface LocalRegistry {
  /** `127.0.0.1:PORT`: the registry part of image references. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  dir: string;
  stop(): void;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Starts `docker-registry serve` on a free loopback port; `htpasswd` (a file's text) turns basic auth on. */
/** Stops a registry (its process group: it was started detached) and removes its folder. */
function stopRegistry(dir: string, pid: number | undefined): void {
  if (pid && readCmdline(pid).includes(dir)) spawnSync('kill', ['-TERM', '--', `-${pid}`]);
  rmSync(dir, { recursive: true, force: true });
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** Registries of runs killed before their teardown (their owner process is gone). */
function reapStale(): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith('registry-'))) {
    const dir = path.join(tmpdir(), name);
    const file = path.join(dir, 'owner.json');
    if (!existsSync(file)) continue;
    const { owner, pid } = JSON.parse(readFileSync(file, 'utf8')) as { owner: number; pid?: number };
    if (!alive(owner)) stopRegistry(dir, pid);
  }
}

export async function startRegistry(opts: { htpasswd?: string } = {}): Promise<LocalRegistry> {
  reapStale();
  const dir = mkdtempSync(path.join(tmpdir(), 'registry-'));
  const port = await freePort();
  const auth = opts.htpasswd ? `auth:\n  htpasswd:\n    realm: test\n    path: ${path.join(dir, 'htpasswd')}\n` : '';
  if (opts.htpasswd) writeFileSync(path.join(dir, 'htpasswd'), opts.htpasswd);
  writeFileSync(
    path.join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  const log = openSync(path.join(dir, 'registry.log'), 'a');
  let child: ChildProcess;
  try {
    child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', log, log], detached: true });
  } catch (error) {
    throw new Error(`cannot start docker-registry (apt-get install docker-registry, as .ci/run does): ${(error as Error).message}`);
  }
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(path.join(dir, 'owner.json'), JSON.stringify({ owner: process.pid, pid: child.pid }));
  const stop = onExit(() => stopRegistry(dir, child.pid));
  const up = await untilTrue(async () => {
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(500) });
      return res.status === 200 || res.status === 401;
    } catch {
      return false;
    }
  }, 10_000);
  if (!up) {
    const text = spawnSync('cat', [path.join(dir, 'registry.log')], { encoding: 'utf8' }).stdout;
    stop();
    throw new Error(`docker-registry did not answer on ${url} within 10 s. Is it installed (apt-get install docker-registry)? Its log:\n${text}`);
  }
  return { host: `127.0.0.1:${port}`, url, dir, stop };
}

/** How a Docker Hub mirror stores an image: official images under `library/`. */
export function hubPath(ref: string): string {
  const name = ref.replace(/^docker\.io\//, '');
  return name.split(':')[0]?.includes('/') ? name : `library/${name}`;
}

/** Copies images from the shared engine into the registry (read-only for the engine): `{ 'python:3.12-slim': localRef }`. */
export function seedRegistry(reg: LocalRegistry, images: Record<string, string>): void {
  for (const [upstream, local] of Object.entries(images)) {
    const r = spawnSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `docker-daemon:${local}`, `docker://${reg.host}/${hubPath(upstream)}`], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`skopeo copy ${local} -> ${reg.host}/${hubPath(upstream)} failed (${r.status}): ${r.stderr || r.error?.message}`);
  }
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** The manifest digest a tag points at (`Docker-Content-Digest`) and the image id (its config's digest). */
export async function registryImage(reg: LocalRegistry, name: string, tag: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${reg.url}/v2/${name}/manifests/${tag}`, { headers: { accept: MANIFEST_TYPES, ...headers } });
  if (res.status !== 200) throw new Error(`${reg.host}/${name}:${tag}: HTTP ${res.status} ${await res.text()}`);
  const manifest = (await res.json()) as { config?: { digest?: string } };
  return { digest: res.headers.get('docker-content-digest') ?? '', imageId: manifest.config?.digest ?? '' };
}

export async function registryTags(reg: LocalRegistry, name: string, headers: Record<string, string> = {}): Promise<string[]> {
  const res = await fetch(`${reg.url}/v2/${name}/tags/list`, { headers });
  if (res.status !== 200) throw new Error(`${reg.host}/${name}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { tags?: string[] }).tags ?? [];
}
