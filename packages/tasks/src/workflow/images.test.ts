import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PullAnswer } from '../facts/facts.ts';
import { fakeFacts } from '../facts/fake.ts';
import { imageLabels, stackWarning, standInWarnings } from './image-steps.ts';
import { chooseImages, registryHost, rolesLine } from './images.ts';

const has = (digest: string): PullAnswer => ({ ok: true, digest: `sha256:${digest.repeat(64).slice(0, 64)}`, ms: 5 });
const mirror = fakeFacts({
  registry: {
    mirrors: ['http://127.0.0.1:5000/'],
    pullable: { ...fakeFacts().registry.pullable, 'python:3.12-slim': has('a'), 'ollama/ollama:latest': has('c') },
  },
});

describe('chooseImages: registry first, per role', () => {
  it('present -> used; pullable -> pulled; else the stand-in, each role on its own', () => {
    const facts = fakeFacts({ ...mirror, images: { byRef: { 'ollama/ollama:latest': 'sha256:present0000000' } } });
    const c = chooseImages('auto', {}, facts.images, mirror.registry);
    expect(c.roles.PYTHON_IMAGE).toMatchObject({ ref: 'python:3.12-slim', source: 'pull' });
    expect(c.roles.PYTHON_IMAGE.why).toBe('the registry has sha256:aaaaaaaaaaaa (via the mirror http://127.0.0.1:5000/)');
    expect(c.roles.OLLAMA_IMAGE).toMatchObject({ ref: 'ollama/ollama:latest', source: 'present', why: 'on this machine, sha256:present00000' });
    expect(c.roles.UV_IMAGE).toMatchObject({ ref: OFFLINE_IMAGES.UV_IMAGE, source: 'stand-in' });
    expect(c.roles.UV_IMAGE.why).toMatch(/^ghcr\.io\/astral-sh\/uv:0\.9 is not on this machine and the daemon cannot reach the registry: .*no such host$/);
    expect(c.standIns).toEqual(['UV_IMAGE']);
    expect(c.images).toEqual({ PYTHON_IMAGE: 'python:3.12-slim', UV_IMAGE: OFFLINE_IMAGES.UV_IMAGE, OLLAMA_IMAGE: 'ollama/ollama:latest' });
    expect(rolesLine(c, ['PYTHON_IMAGE', 'UV_IMAGE'])).toBe(`Python base python:3.12-slim (pulled), uv ${OFFLINE_IMAGES.UV_IMAGE} (local stand-in)`);
  });

  it('a registry that did not answer in time is named as such', () => {
    const slow: PullAnswer = { ok: false, error: 'no answer within 3.0 s', timedOut: true, answered: false, ms: 3001 };
    const c = chooseImages('auto', {}, { byRef: {} }, fakeFacts({ registry: { pullable: { 'python:3.12-slim': slow } } }).registry);
    expect(c.roles.PYTHON_IMAGE.why).toBe('python:3.12-slim is not on this machine and the registry did not answer within 3 s');
  });

  it('--images registry never falls back: a refusal with the registry\u2019s own error, naming the image and the fix', () => {
    const notFound: PullAnswer = { ok: false, error: 'manifest unknown: manifest unknown', timedOut: false, answered: true, ms: 4 };
    const registry = fakeFacts({ registry: { pullable: { ...mirror.registry.pullable, 'ollama/ollama:latest': notFound } } }).registry;
    const c = chooseImages('registry', {}, { byRef: {} }, registry);
    expect(c.standIns).toEqual([]);
    expect(c.roles.PYTHON_IMAGE.refusal).toBeUndefined();
    expect(c.roles.OLLAMA_IMAGE.refusal).toBe(
      'ollama/ollama:latest (Ollama) is not on this machine and cannot be pulled: the registry says: manifest unknown: manifest unknown. Fix: check the name and that the registry answers (docker pull ollama/ollama:latest), log in if it is private, or use the local stand-in (--images auto falls back to it, --images offline always uses it).',
    );
    expect(c.roles.UV_IMAGE.refusal).toMatch(
      /^ghcr\.io\/astral-sh\/uv:0\.9 \(uv\) is not on this machine and cannot be pulled: the daemon cannot reach the registry/,
    );
  });

  it('an image set in the configuration is never swapped for a stand-in; one that wants credentials is left to docker pull', () => {
    const denied: PullAnswer = { ok: false, error: 'unauthorized: authentication required', timedOut: false, answered: true, ms: 4 };
    const registry = fakeFacts({ registry: { pullable: { 'registry.example.com/team/python:3.12': denied } } }).registry;
    const c = chooseImages(
      'auto',
      { PYTHON_IMAGE: 'registry.example.com/team/python:3.12', UV_IMAGE: 'registry.example.com/team/uv:1' },
      { byRef: {} },
      registry,
    );
    expect(c.roles.PYTHON_IMAGE).toMatchObject({ source: 'pull', why: 'the registry wants credentials: docker pull uses yours' });
    expect(c.roles.PYTHON_IMAGE.refusal).toBeUndefined();
    expect(c.roles.UV_IMAGE.refusal).toMatch(/; UV_IMAGE is set to registry\.example\.com\/team\/uv:1\.$/);
    expect(c.roles.OLLAMA_IMAGE.source).toBe('stand-in');
  });

  it('--images offline: stand-ins everywhere, even when the registry images are on the machine', () => {
    const c = chooseImages('offline', {}, { byRef: { 'python:3.12-slim': 'sha256:x' } }, mirror.registry);
    expect(c.standIns).toEqual(['PYTHON_IMAGE', 'UV_IMAGE', 'OLLAMA_IMAGE']);
    expect(c.roles.PYTHON_IMAGE.why).toBe('--images offline');
  });
});

describe('labels and warnings', () => {
  const c = chooseImages('auto', {}, { byRef: {} }, mirror.registry);

  it('labels record the image of each role and which were stand-ins', () => {
    expect(imageLabels(c, ['PYTHON_IMAGE', 'UV_IMAGE'])).toEqual([
      'com.promtior.tasks.base.python=python:3.12-slim',
      `com.promtior.tasks.base.uv=${OFFLINE_IMAGES.UV_IMAGE}`,
      'com.promtior.tasks.stand-ins=uv',
    ]);
    expect(imageLabels(chooseImages('auto', {}, { byRef: {} }, { ...mirror.registry, pullable: {} }), ['PYTHON_IMAGE']).at(-1)).toBe(
      'com.promtior.tasks.stand-ins=python',
    );
  });

  it('a stand-in warning says what the stand-in does not do', () => {
    expect(standInWarnings(c, ['PYTHON_IMAGE', 'UV_IMAGE'])).toEqual([
      expect.stringMatching(/^warning: uv is the local stand-in .*no uv resolver, lock file or cache\.$/),
    ]);
    const all = chooseImages('offline', {}, { byRef: {} }, mirror.registry);
    expect(standInWarnings(all, ['OLLAMA_IMAGE'])[0]).toContain('its answers and embeddings are canned');
  });

  it('the running-stack warning reads the app image label and the Ollama choice', () => {
    expect(stackWarning('none', false)).toBeUndefined();
    expect(stackWarning('<no value>', false)).toBeUndefined();
    expect(stackWarning('', true)).toMatch(/^warning: this stack runs on local stand-ins: Ollama is the stand-in \(it runs no model: its answers .* canned/);
    expect(stackWarning('python,uv', false)).toMatch(/the app image was built on the Python base stand-in .*; the app image was built on the uv stand-in/);
  });
});

describe('registryHost', () => {
  it.each([
    ['python:3.12-slim', 'docker.io'],
    ['ollama/ollama:latest', 'docker.io'],
    ['docker.io/library/python:3.12', 'docker.io'],
    ['ghcr.io/astral-sh/uv:0.9', 'ghcr.io'],
    ['127.0.0.1:5000/team/app:1', '127.0.0.1:5000'],
    ['localhost/app', 'localhost'],
  ])('%s -> %s', (ref, host) => expect(registryHost(ref)).toBe(host));

  it('never throws, and a name without a slash is always Docker Hub', () => {
    fc.assert(fc.property(fc.string(), (ref) => typeof registryHost(ref) === 'string' && (ref.includes('/') || registryHost(ref) === 'docker.io')));
  });
});
