/**
 * The `runtime-minimal` target of the shipped Dockerfile: no shell, no package manager, no uv; the health check and
 * CMD work in exec form; the full stack runs on it through docker-run (APP_IMAGE is the only thing substituted).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTarget } from '../helpers/build.ts';
import { runCli } from '../helpers/cli.ts';
import { DOCKER, docker, requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, getJson, removeProject } from '../helpers/project.ts';

/** Every path in the image's filesystem, from `docker export`. */
function imageFiles(tag: string): string[] {
  const created = docker('create', tag).trim();
  try {
    const tar = spawnSync(DOCKER, ['export', created], { maxBuffer: 1024 * 1024 * 1024 });
    expect(tar.status).toBe(0);
    return spawnSync('tar', ['-tv'], { input: tar.stdout, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean);
  } finally {
    docker('rm', created);
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe('runtime-minimal: only the interpreter, the venv and the app', () => {
  let p: ExampleProject;
  let tag: string;
  const containers: string[] = [];

  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject();
    tag = p.tag.replace(':latest', ':minimal');
    buildTarget(p, 'runtime-minimal', tag);
  });
  afterAll(() => {
    for (const c of containers) spawnSync(DOCKER, ['rm', '-f', '-v', c], { stdio: 'ignore' });
    removeProject(p);
  });

  it('has no shell, no package manager, no pip and no uv', () => {
    const lines = imageFiles(tag);
    const names = lines.map((l) =>
      l
        .split(/\s+/)
        .slice(5)
        .join(' ')
        .replace(/ -> .*$/, ''),
    );
    expect(names.length).toBeGreaterThan(500);
    expect(names).toContain('opt/venv/bin/python3');
    expect(names).toContain('app/src/app/main.py');
    const forbidden = /(^|\/)(sh|bash|dash|ash|busybox|dpkg|apt|apt-get|pip|pip3|uv|ensurepip)(\/|$)/;
    // var/lib/dpkg/status is data (the package records), not the package manager.
    expect(names.filter((n) => forbidden.test(n) && !n.startsWith('var/lib/dpkg/'))).toEqual([]);
    expect(names.filter((n) => /^(usr\/)?s?bin\/./.test(n) && !/^usr\/bin\/python3(\.\d+)?$/.test(n))).toEqual([]);
    const run = spawnSync(DOCKER, ['run', '--rm', '--entrypoint', '/bin/sh', tag, '-c', 'true'], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/no such file or directory|not found/);
  });

  it('keeps the dpkg records of the Debian packages whose files it ships, for SBOM tools and scanners', () => {
    const status = docker('run', '--rm', tag, 'python3', '-c', "print(open('/var/lib/dpkg/status').read())");
    const packages = [...status.matchAll(/^Package: (\S+)$/gm)].map((m) => m[1]);
    expect(packages).toEqual(expect.arrayContaining(['libc6', 'libssl3', 'zlib1g']));
    expect(packages.some((n) => /^python3\.\d+-minimal$/.test(n ?? ''))).toBe(true);
    // Nothing it does not ship: no shell, no package manager.
    expect(packages).not.toContain('dash');
    expect(packages).not.toContain('dpkg');
    expect(packages).not.toContain('apt');
  });

  it('health check and CMD are exec form; it turns healthy read-only, without capabilities, as uid 1001', async () => {
    const config = JSON.parse(docker('image', 'inspect', '--format', '{{json .Config}}', tag)) as {
      Cmd: string[];
      Healthcheck: { Test: string[] };
      User: string;
      Entrypoint: string[] | null;
    };
    expect(config.Healthcheck.Test[0]).toBe('CMD');
    expect(config.Healthcheck.Test[1]).toBe('python3');
    expect(config.Cmd[0]).toBe('python3');
    expect(config.Entrypoint).toBeNull();
    expect(config.User).toBe('1001:1001');
    const id = docker(
      'run',
      '-d',
      '--read-only',
      '--tmpfs',
      '/tmp',
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges:true',
      '--health-interval',
      '1s',
      '-p',
      `127.0.0.1::${p.port}`,
      tag,
    ).trim();
    containers.push(id);
    expect(
      await until('Docker to report healthy', 30_000, () =>
        docker('inspect', '--format', '{{.State.Health.Status}}', id).trim() === 'healthy' ? true : undefined,
      ),
    ).toBe(true);
    const hostPort = docker('port', id, String(p.port)).split('\n')[0]?.split(':').at(-1);
    const health = await getJson(`http://127.0.0.1:${hostPort}/health`);
    // Alone, without Ollama: alive, and it says what it waits for.
    expect(health).toMatchObject({ status: 200, body: { status: 'starting', checks: { ollama: { status: 'unreachable' } } } });
    expect(docker('exec', id, 'python3', '-c', "import os; print(os.getuid(), os.getgid(), os.stat('/app').st_uid)").trim()).toBe('1001 1001 1001');
    const stopped = Date.now();
    docker('stop', id);
    // python3 is PID 1 and handles SIGTERM: no kill after the 10 s timeout.
    expect(Date.now() - stopped).toBeLessThan(5000);
    expect(docker('inspect', '--format', '{{.State.ExitCode}}', id).trim()).toBe('0');
  });

  it('runs the full stack through docker-run (APP_IMAGE is the minimal image) and chats through Ollama', async () => {
    const r = runCli(['docker-run', '--no-build', '--tag', tag], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`ready: http://127\\.0\\.0\\.1:${p.port} answered /ready`));
    expect((await getJson(`${p.url}/ready`)).status).toBe(200);
    const chat = await getJson(`${p.url}/chat`, { method: 'POST', body: JSON.stringify({ message: 'minimal' }) });
    expect(chat).toMatchObject({ status: 200, body: { answer: expect.stringContaining('you said: minimal') } });
    const key = { 'X-Admin-Key': 'e2e-admin-key-0123456789abcdef' };
    expect((await getJson(`${p.url}/admin/reingest`, { method: 'POST', headers: key })).body).toMatchObject({ count: 1 });
    const clean = runCli(['docker-clean', '--volumes', '--yes'], { cwd: p.dir });
    expect(clean.code, clean.all).toBe(0);
  });
});
