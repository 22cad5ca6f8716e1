/**
 * Where docker-push puts an image: `<registry>/<name>` tagged with the git revision, the release version and, on
 * request, `latest`. Pure: everything comes from the options, the config and the facts.
 */
import { registryHost } from '../workflow/images.ts';

/** A tag Docker accepts: up to 128 of [A-Za-z0-9_.-], not starting with `.` or `-`. */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export interface PushTargets {
  /** `<registry>/<name>`, e.g. 127.0.0.1:5000/team/promtior-assistant. */
  repository: string;
  /** Tags in the order they are pushed: the revision first. */
  tags: string[];
}

/** The repository name of a local image reference: its last path part without tag or digest. */
export function imageName(ref: string): string {
  const noDigest = ref.split('@')[0] ?? ref;
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  return last.includes(':') ? last.slice(0, last.indexOf(':')) : last;
}

export function pushTargets(registry: string, name: string, revisionTag: string, version: string, latest: boolean): PushTargets {
  return { repository: `${registry.replace(/\/+$/, '')}/${name}`, tags: [revisionTag, version, ...(latest ? ['latest'] : [])] };
}

/** Registries on loopback speak plain HTTP, as dockerd allows without configuration; skopeo must be told. */
export function isLoopback(repository: string): boolean {
  const host = registryHost(repository).replace(/:\d+$/, '');
  return host === 'localhost' || /^127\./.test(host) || host === '[::1]';
}

/** The manifest digest `docker push` prints last (`latest: digest: sha256:... size: 1234`). */
export function pushedDigest(stdout: string): string | undefined {
  return /digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1];
}
