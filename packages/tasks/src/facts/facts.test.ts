import { describe, expect, it } from 'vitest';
import { buildkitOf, chooseClient, daemonAnswer, dockerCandidates } from './docker.ts';
import { fakeFacts } from './fake.ts';
import { imageId, normalizeRef, parseImageList } from './images.ts';
import { parseVolumeList, projectVolumes } from './volumes.ts';

describe('docker facts', () => {
  it('BuildKit: buildx when present, built in before Docker 23, else unusable with the reason', () => {
    expect(buildkitOf('/d', '28.2.2', true)).toEqual({ ok: true, via: 'buildx' });
    expect(buildkitOf('/d', '20.10.24+dfsg1', false)).toEqual({ ok: true, via: 'builtin' });
    expect(buildkitOf('/usr/local/bin/docker', '28.2.2', false)).toEqual({
      ok: false,
      why: 'docker 28.2.2 at /usr/local/bin/docker has no buildx plugin, and since Docker 23 BuildKit builds need it',
    });
  });

  it('chooses the first client that can build, else the first that answered', () => {
    const old = { bin: '/usr/bin/docker', version: '20.10', buildkit: { ok: true as const, via: 'builtin' as const } };
    const nobx = { bin: '/usr/local/bin/docker', version: '28.2', buildkit: { ok: false as const, why: 'x' } };
    expect(chooseClient([nobx, old])).toBe(old);
    expect(chooseClient([nobx])).toBe(nobx);
    expect(chooseClient([])).toBeUndefined();
  });

  it("reads the daemon's answer from `docker version` JSON, or its error", () => {
    expect(daemonAnswer({ Server: { Version: '20.10.24', ApiVersion: '1.41' } }, '', {})).toEqual({ ok: true, version: '20.10.24', api: '1.41' });
    expect(
      daemonAnswer({ Client: { Version: '28' }, Server: null }, 'Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?', {
        DOCKER_HOST: 'unix:///x.sock',
      }),
    ).toEqual({ ok: false, host: 'unix:///x.sock', error: 'Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?' });
  });

  it('$DOCKER wins over PATH', () => {
    expect(dockerCandidates({ DOCKER: '/opt/docker', PATH: '/usr/bin' })).toEqual(['/opt/docker']);
  });
});

describe('image facts', () => {
  it('lists tagged images by the name docker uses, and finds a reference however it is spelled', () => {
    const byRef = parseImageList('python:3.12-slim\tsha256:a\n<none>:<none>\tsha256:b\nghcr.io/astral-sh/uv:0.9\tsha256:c\nbusybox:latest\tsha256:d\n');
    expect(byRef).toEqual({ 'python:3.12-slim': 'sha256:a', 'ghcr.io/astral-sh/uv:0.9': 'sha256:c', 'busybox:latest': 'sha256:d' });
    const images = { byRef };
    expect(imageId(images, 'docker.io/library/python:3.12-slim')).toBe('sha256:a');
    expect(imageId(images, 'busybox')).toBe('sha256:d');
    expect(imageId(images, 'ghcr.io/astral-sh/uv:0.9')).toBe('sha256:c');
    expect(imageId(images, 'python:3.13')).toBeUndefined();
    expect(normalizeRef('localhost:5000/app')).toBe('localhost:5000/app:latest');
  });
});

describe('fakeFacts', () => {
  it('is this machine’s shape, each part replaceable', () => {
    const f = fakeFacts({ docker: { daemon: { ok: false, host: 'unix:///x', error: 'down' } }, compose: undefined });
    expect(f.docker.bin).toBe('/usr/bin/docker');
    expect(f.docker.daemon.ok).toBe(false);
    expect(f.compose).toBeUndefined();
    expect(fakeFacts().compose?.kind).toBe('v1');
  });
});

describe('volume facts', () => {
  it("lists volumes with their compose project, and picks a project's own", () => {
    const byName = parseVolumeList('shop_db\tshop\nloose\t\nother_data\tother\nshop_cache\tshop\n');
    expect(byName).toEqual({ shop_db: { project: 'shop' }, loose: {}, other_data: { project: 'other' }, shop_cache: { project: 'shop' } });
    expect(projectVolumes({ byName }, 'shop')).toEqual(['shop_cache', 'shop_db']);
    expect(projectVolumes({ byName }, 'none')).toEqual([]);
  });
});
