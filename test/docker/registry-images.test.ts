/**
 * The registry path, end to end: a local registry seeded with the offline-built images under their upstream names,
 * and a second dockerd that pulls Docker Hub names through it (--registry-mirror) and starts with no image, as a
 * connected machine does on first use. uv lives on ghcr.io, which a Docker Hub mirror does not cover: it falls back.
 */
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject } from '../helpers/project.ts';
import { type LocalRegistry, registryImage, seedRegistry, startRegistry } from '../helpers/registry.ts';
import { type SecondDaemon, startDaemon } from '../helpers/second-daemon.ts';

const PYTHON = 'python:3.12-slim';
const OLLAMA = 'ollama/ollama:latest';

function labels(d: SecondDaemon, image: string): Record<string, string> {
  return JSON.parse(d.docker('image', 'inspect', '--format', '{{json .Config.Labels}}', image)) as Record<string, string>;
}

describe('registry first: a connected machine on first use (second dockerd, registry mirror)', () => {
  let reg: LocalRegistry;
  let d: SecondDaemon;
  let p: ExampleProject;
  let registryIds: { python: string; ollama: string };

  beforeAll(async () => {
    requireEngineAndImages();
    reg = await startRegistry();
    seedRegistry(reg, { [PYTHON]: OFFLINE_IMAGES.PYTHON_IMAGE, [OLLAMA]: OFFLINE_IMAGES.OLLAMA_IMAGE });
    registryIds = {
      python: (await registryImage(reg, 'library/python', '3.12-slim')).imageId,
      ollama: (await registryImage(reg, 'ollama/ollama', 'latest')).imageId,
    };
    d = await startDaemon({ mirror: reg.url });
    p = exampleProject();
  });
  afterAll(() => {
    d?.stop();
    reg?.stop();
  });

  it('starts empty; doctor says which image each role would use and why', () => {
    expect(d.images()).toEqual({});
    const r = runCli(['doctor'], { cwd: p.dir, env: d.env });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain(`✔ registry: the daemon at ${d.host} pulls Docker Hub images through ${reg.url}/`);
    expect(r.stdout).toMatch(
      /✔ Python base image: python:3\.12-slim: not on this machine; will be pulled: the registry has sha256:[0-9a-f]{12} \(via the mirror/,
    );
    expect(r.stdout).toMatch(/✔ Ollama image: ollama\/ollama:latest: not on this machine; will be pulled: the registry has/);
    expect(r.stdout).toMatch(
      /! uv image: local stand-in promtior\/uv-offline:\S+ \(ghcr\.io\/astral-sh\/uv:0\.9 is not on this machine and the daemon cannot reach the registry: .*ghcr\.io/,
    );
    expect(r.stdout).toContain('fix: pull ghcr.io/astral-sh/uv:0.9');
  });

  it('--images registry fails fast, naming the image the registry cannot give, before anything is pulled or built', () => {
    const started = Date.now();
    const r = runCli(['docker-build', '--tag', p.tag, '--images', 'registry'], { cwd: p.dir, env: d.env });
    const seconds = (Date.now() - started) / 1000;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ghcr\.io\/astral-sh\/uv:0\.9 \(uv\) is not on this machine and cannot be pulled: the daemon cannot reach the registry: .*ghcr\.io.*\. Fix:/,
    );
    expect(r.stderr).not.toContain(`${PYTHON} (Python base)`);
    expect(d.images()).toEqual({});
    console.info(`--images registry with ghcr.io unreachable: failed after ${seconds.toFixed(2)} s`);
  });

  it('default docker-build pulls Python through the registry (same image id), falls back to the uv stand-in with the warning, and labels say so', () => {
    const r = runCli(['docker-build', '--tag', p.tag], { cwd: p.dir, env: d.env });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(/pulling python:3\.12-slim \(Python base\): it is not on this machine, and the registry has sha256:/);
    expect(r.stdout).toContain(`$ /usr/bin/docker pull ${PYTHON}`);
    expect(r.stdout).toMatch(
      /warning: uv is the local stand-in promtior\/uv-offline:\S+ \(ghcr\.io\/astral-sh\/uv:0\.9 is not on this machine .*\): it is a shell script/,
    );
    expect(r.stdout).not.toMatch(/warning: Python base/);
    expect(r.stdout).toMatch(/base images: Python base python:3\.12-slim \(pulled\), uv promtior\/uv-offline:\S+ \(local stand-in\)/);
    const images = d.images();
    expect(images[PYTHON]).toBe(registryIds.python);
    expect(Object.keys(images).filter((ref) => ref.startsWith('promtior/'))).toEqual([OFFLINE_IMAGES.UV_IMAGE]);
    expect(labels(d, p.tag)).toMatchObject({
      'com.promtior.tasks.base.python': PYTHON,
      'com.promtior.tasks.base.uv': OFFLINE_IMAGES.UV_IMAGE,
      'com.promtior.tasks.stand-ins': 'uv',
    });
  });

  it("docker-run pulls Ollama through the registry (its image id is the registry's) and warns that the app was built on the uv stand-in", () => {
    const r = runCli(['docker-run', '--no-build', '--tag', p.tag, '--timeout', '120'], { cwd: p.dir, env: d.env });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain(`$ /usr/bin/docker pull ${OLLAMA}`);
    expect(r.stdout).toMatch(/warning: this stack runs on local stand-ins: the app image was built on the uv stand-in/);
    expect(r.stdout).not.toContain('Ollama is the stand-in');
    const ollama = d.docker('ps', '-q', '--filter', `label=com.docker.compose.project=${p.name}`, '--filter', 'label=com.docker.compose.service=ollama').trim();
    expect(d.docker('inspect', '--format', '{{.Image}}', ollama).trim()).toBe(registryIds.ollama);
    expect(d.images()[OLLAMA]).toBe(registryIds.ollama);
    const down = runCli(['docker-clean'], { cwd: p.dir, env: d.env });
    expect(down.code, down.all).toBe(0);
  });

  it('a registry that does not answer is given up on within seconds, naming the image', async () => {
    // Accepts connections and never answers: a registry behind a black hole.
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const image = `127.0.0.1:${port}/team/python:3.12-slim`;
    writeFileSync(path.join(p.dir, '.env.silent'), `PYTHON_IMAGE=${image}\n`);
    try {
      const started = Date.now();
      const r = runCli(['--env-file', '.env.silent', '--env-file', '.env', 'docker-build', '--tag', p.tag, '--images', 'registry'], { cwd: p.dir, env: d.env });
      const seconds = (Date.now() - started) / 1000;
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${image} (Python base) is not on this machine and cannot be pulled: the registry did not answer within 3 s`);
      console.info(`unreachable registry given up on: the CLI failed after ${seconds.toFixed(2)} s`);
      expect(seconds).toBeLessThan(15);
    } finally {
      silent.close();
    }
  });
});
