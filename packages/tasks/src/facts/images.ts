/**
 * The images on the machine, from the daemon's GET /images/json when its socket can be asked, else one
 * `docker image ls`: enough to choose base images without a pull.
 */
import { probe } from '../exec/run-command.ts';
import { daemonJson } from './daemon-api.ts';
import type { ImageFacts } from './facts.ts';

/** The API's image summaries as `docker image ls` lists them: one row per tag, untagged ones left out. */
export function imagesFromApi(list: unknown): Record<string, string> | undefined {
  if (!Array.isArray(list)) return undefined;
  const byRef: Record<string, string> = {};
  for (const image of list as { Id?: unknown; RepoTags?: unknown }[]) {
    if (typeof image?.Id !== 'string' || !Array.isArray(image.RepoTags)) continue;
    for (const ref of image.RepoTags) if (typeof ref === 'string' && !ref.includes('<none>')) byRef[ref] = image.Id;
  }
  return byRef;
}

/** The images from the daemon's socket, or undefined when it cannot be asked there. */
export async function directImages(address: string, deadlineMs?: number): Promise<ImageFacts | undefined> {
  const r = await daemonJson(address, '/images/json', deadlineMs);
  const byRef = r && 'json' in r ? imagesFromApi(r.json) : undefined;
  return byRef ? { byRef } : undefined;
}

export async function gatherImages(dockerBin: string, cwd: string): Promise<ImageFacts> {
  const r = await probe([dockerBin, 'image', 'ls', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}}\t{{.ID}}'], { cwd });
  if (r.exitCode !== 0) return { byRef: {}, error: r.stderr.split('\n')[0] || `exit code ${r.exitCode}` };
  return { byRef: parseImageList(r.stdout) };
}

export function parseImageList(text: string): Record<string, string> {
  const byRef: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [ref, id] = line.split('\t');
    if (ref && id && !ref.includes('<none>')) byRef[ref] = id;
  }
  return byRef;
}

/**
 * How `docker image ls` names a reference: Docker Hub's `docker.io/` and `library/` prefixes dropped, `:latest`
 * added when no tag is given. A digest reference is kept as is (and found only when listed so).
 */
export function normalizeRef(ref: string): string {
  let r = ref.replace(/^docker\.io\//, '').replace(/^index\.docker\.io\//, '');
  if (r.startsWith('library/')) r = r.slice('library/'.length);
  const lastPart = r.slice(r.lastIndexOf('/') + 1);
  return r.includes('@') || lastPart.includes(':') ? r : `${r}:latest`;
}

/** The image id of `ref`, when it is on the machine. */
export function imageId(images: ImageFacts, ref: string): string | undefined {
  return images.byRef[normalizeRef(ref)];
}
