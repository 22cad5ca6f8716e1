/**
 * A complete, plausible Facts value for tests of plans: this machine's shape (Debian's docker 20.10 with BuildKit
 * built in, a running engine, compose v1, no images or volumes, a clean git checkout), each part replaceable.
 */
import type { Facts, PullAnswer } from './facts.ts';

export type FakeFacts = { [K in keyof Facts]?: Facts[K] extends object ? Partial<Facts[K]> : Facts[K] };

/** What this machine's daemon answers for an image on a registry it cannot resolve. */
export function offline(host: string): PullAnswer {
  return { ok: false, error: `Get "https://${host}/v2/": dial tcp: lookup ${host}: no such host`, timedOut: false, answered: false, ms: 12 };
}

export function fakeFacts(over: FakeFacts = {}): Facts {
  const client = { bin: '/usr/bin/docker', version: '20.10.24', buildkit: { ok: true as const, via: 'builtin' as const } };
  const docker = {
    candidates: ['/usr/bin/docker'],
    clients: [client],
    chosen: client,
    bin: '/usr/bin/docker',
    daemon: { ok: true as const, version: '20.10.24', api: '1.41' },
    ...over.docker,
  };
  return {
    docker: { ...docker, bin: over.docker?.bin ?? docker.chosen?.bin ?? 'docker' },
    compose: over.compose === undefined && 'compose' in over ? undefined : { kind: 'v1', argv: ['docker-compose'], version: '1.29.2', ...over.compose },
    images: { byRef: {}, ...over.images },
    // An offline machine: every image not present is not pullable (the daemon cannot resolve the registry).
    registry: {
      daemon: 'unix:///var/run/docker.sock',
      mirrors: [],
      deadlineMs: 3000,
      pullable: {
        'python:3.12-slim': offline('registry-1.docker.io'),
        'ghcr.io/astral-sh/uv:0.9': offline('ghcr.io'),
        'ollama/ollama:latest': offline('registry-1.docker.io'),
      },
      cacheExport: { kind: 'inline', why: 'docker 20.10.24 has BuildKit built in, which exports only the inline cache' },
      ...over.registry,
    },
    volumes: { byName: {}, ...over.volumes },
    git: { revision: '0123456789abcdef0123456789abcdef01234567', commitTime: 1_767_225_600, dirty: false, ...over.git },
    clock: { now: new Date('2026-01-01T00:00:00Z'), ...over.clock },
    user: { uid: 1000, gid: 1000, name: 'dev', ...over.user },
    cores: over.cores ?? 2,
  };
}
