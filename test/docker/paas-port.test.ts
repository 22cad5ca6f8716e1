/**
 * The PaaS port convention (issue 11, item 6): Railway, Cloud Run and Heroku set PORT; the production and the
 * runtime-minimal images then listen there instead of APP_PORT, and their health check follows (in the minimal
 * image without a shell). Without PORT, APP_PORT as before.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTarget } from '../helpers/build.ts';
import { DOCKER, docker, requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, getJson, removeProject } from '../helpers/project.ts';

async function healthy(id: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let status = '';
  while (Date.now() < deadline) {
    status = docker('inspect', '--format', '{{.State.Health.Status}}', id).trim();
    if (status === 'healthy' || status === 'unhealthy') return status;
    await new Promise((r) => setTimeout(r, 250));
  }
  return status;
}

describe.each(['production', 'runtime-minimal'])('%s image and the PORT variable', (target) => {
  let p: ExampleProject;
  let tag: string;
  const containers: string[] = [];

  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject();
    tag = p.tag.replace(':latest', `:${target}`);
    buildTarget(p, target, tag);
  });
  afterAll(() => {
    for (const c of containers) spawnSync(DOCKER, ['rm', '-f', '-v', c], { stdio: 'ignore' });
    removeProject(p);
  });

  /** Runs the image with `env`, publishing `port` on a free host port; returns the container and its URL. */
  /** A container of the image; its URL is asked for only while it runs (a container that exited has no port). */
  function run(env: Record<string, string>, port: number): { id: string; url: () => string } {
    const id = docker(
      'run',
      '-d',
      '--read-only',
      '--tmpfs',
      '/tmp',
      '--health-interval',
      '1s',
      ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      '-p',
      `127.0.0.1::${port}`,
      tag,
    ).trim();
    containers.push(id);
    return { id, url: () => `http://127.0.0.1:${docker('port', id, String(port)).split('\n')[0]?.split(':').at(-1)}` };
  }

  it('listens on PORT when the platform sets it, and its health check probes that port', async () => {
    const platformPort = p.port + 1;
    const { id, url } = run({ PORT: String(platformPort) }, platformPort);
    expect(await healthy(id, 30_000)).toBe('healthy');
    expect((await getJson(`${url()}/health`)).status).toBe(200);
    expect(docker('logs', id)).toContain(`up at http://127.0.0.1:${platformPort}`);
    // Nothing listens on APP_PORT (the image's default) inside the container.
    const other = spawnSync(DOCKER, ['exec', id, 'python3', '-c', `import socket; socket.create_connection(('127.0.0.1', ${p.port}), 1)`], {
      encoding: 'utf8',
    });
    expect(other.status).not.toBe(0);
  });

  it('without PORT, APP_PORT as before; an empty PORT counts as unset', async () => {
    const { id, url } = run({ PORT: '' }, p.port);
    expect(await healthy(id, 30_000)).toBe('healthy');
    expect((await getJson(`${url()}/health`)).status).toBe(200);
  });

  it('a PORT that is not a port stops the start, naming PORT', async () => {
    const { id } = run({ PORT: 'http' }, p.port);
    const deadline = Date.now() + 20_000;
    while (docker('inspect', '--format', '{{.State.Status}}', id).trim() === 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(docker('inspect', '--format', '{{.State.ExitCode}}', id).trim()).toBe('2');
    expect(spawnSync(DOCKER, ['logs', id], { encoding: 'utf8' }).stderr).toContain('PORT is "http", expected an integer from 1 to 65535. Fix: set PORT');
  });
});
