import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AsyncCliResult, runCliAsync } from '../helpers/cli.ts';
import { DOCKER, docker, requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, getJson, projectContainers, projectVolumes, removeProject } from '../helpers/project.ts';

function inspect(id: string, format: string): string {
  return docker('inspect', '--format', format, id).trim();
}

function serviceContainer(p: ExampleProject, service: string): string {
  const id = docker('ps', '-q', '--filter', `label=com.docker.compose.project=${p.name}`, '--filter', `label=com.docker.compose.service=${service}`).trim();
  if (!id) throw new Error(`no running ${service} container in project ${p.name}`);
  return id;
}

async function untilHealthy(id: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (inspect(id, '{{.State.Health.Status}}') === 'healthy') return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`container ${id} not healthy after ${timeoutMs} ms`);
}

describe('docker-run and docker-clean: the full stack on the real engine', () => {
  let p: ExampleProject;
  // The crashing app's project (its own folder, name, port and tag) runs beside the others: its docker-run waits on
  // the engine (build, start, the app's exits) while theirs do, instead of after them. The last case checks it.
  let broken: ExampleProject;
  // Every CLI of this file runs without blocking the event loop, so the crashing one's output is read as it comes.
  let crashed: Promise<AsyncCliResult & { ms: number }>;

  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject();
    broken = exampleProject();
    writeFileSync(path.join(broken.dir, 'src', 'app', 'main.py'), 'raise RuntimeError("boom: cannot load the model")\n');
    const started = Date.now();
    crashed = runCliAsync(['docker-run', '--tag', broken.tag, '--timeout', '80'], { cwd: broken.dir }, 110_000).then((r) => ({
      ...r,
      ms: Date.now() - started,
    }));
  });
  afterAll(async () => {
    await crashed?.catch(() => undefined);
    if (broken) removeProject(broken);
    removeProject(p);
  });

  it('starts the stack and waits until the app is ready, printing URL, metrics, time to ready and states', async () => {
    const r = await runCliAsync(['docker-run', '--tag', p.tag], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`ready: http://127\\.0\\.0\\.1:${p.port} answered /ready [\\d.]+ s after compose up`));
    expect(r.stdout).toContain(`metrics: ${p.url}/metrics (Prometheus text format`);
    // Ready means Ollama answers too: no wait for Docker's health status of either.
    expect((await getJson(`${p.url}/ready`)).status).toBe(200);
    expect(r.stdout).toMatch(/ {2}app: running, docker health (starting|healthy)/);
    // The app no longer waits for Docker to call Ollama healthy (its first probe lags one interval): starting is fine.
    expect(r.stdout).toMatch(/ {2}ollama: running, docker health (starting|healthy)/);
    expect((await getJson(`${p.url}/health`)).status).toBe(200);
  });

  it("every service becomes healthy in Docker's eyes within 60 s of starting", async () => {
    for (const service of ['app', 'ollama']) {
      const id = serviceContainer(p, service);
      await untilHealthy(id, 60_000);
      const started = Date.parse(inspect(id, '{{.State.StartedAt}}'));
      const firstOk = (JSON.parse(inspect(id, '{{json .State.Health.Log}}')) as { Start: string; ExitCode: number }[]).find((l) => l.ExitCode === 0);
      expect(Date.parse(firstOk?.Start ?? '') - started).toBeLessThan(60_000);
    }
  });

  it('the app reaches http://ollama:11434/api/tags by service name and chats through it', async () => {
    const fromApp = docker(
      'exec',
      serviceContainer(p, 'app'),
      'python3',
      '-c',
      "import urllib.request; print(urllib.request.urlopen('http://ollama:11434/api/tags', timeout=5).status)",
    );
    expect(fromApp.trim()).toBe('200');
    const chat = await getJson(`${p.url}/chat`, { method: 'POST', body: JSON.stringify({ message: 'hi' }) });
    expect(chat).toMatchObject({ status: 200, body: { answer: expect.stringContaining('you said: hi') } });
  });

  it('applies the resource limits of the seed (app 1 CPU / 1 GB, Ollama 16 GB)', () => {
    expect(inspect(serviceContainer(p, 'app'), '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.MemoryReservation}}')).toBe(
      `1000000000 ${1024 ** 3} ${512 * 1024 ** 2}`,
    );
    expect(inspect(serviceContainer(p, 'ollama'), '{{.HostConfig.Memory}}')).toBe(String(16 * 1024 ** 3));
  });

  it('data in the named volumes survives down and up; docker-clean keeps volumes and removes the rest', async () => {
    const key = { 'X-Admin-Key': 'e2e-admin-key-0123456789abcdef' };
    expect((await getJson(`${p.url}/admin/reingest`, { method: 'POST', headers: { 'X-Admin-Key': 'wrong' } })).status).toBe(401);
    expect((await getJson(`${p.url}/admin/reingest`, { method: 'POST', headers: key })).body).toMatchObject({ count: 1 });
    const clean = await runCliAsync(['docker-clean'], { cwd: p.dir });
    expect(clean.code, clean.all).toBe(0);
    expect(projectContainers(p.name)).toEqual([]);
    expect(spawnSync(DOCKER, ['image', 'inspect', p.tag]).status).not.toBe(0);
    expect(projectVolumes(p.name)).toEqual([`${p.name}_app-data`, `${p.name}_ollama-models`]);
    const again = await runCliAsync(['docker-run', '--tag', p.tag], { cwd: p.dir });
    expect(again.code, again.all).toBe(0);
    expect((await getJson(`${p.url}/admin/reingest`, { method: 'POST', headers: key })).body).toMatchObject({ count: 2 });
    // Both models the app used before `down` are still in the ollama volume.
    const tags = (await getJson(`${p.url}/ollama/tags`)).body as { models: { name: string }[] };
    expect(tags.models.map((m) => m.name).sort()).toEqual(['nomic-embed-text', 'tinyllama']);
  });

  it('docker-clean --volumes needs --yes outside a terminal, then removes them', async () => {
    const refused = await runCliAsync(['docker-clean', '--volumes'], { cwd: p.dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--volumes removes the named volumes of project');
    expect(projectContainers(p.name).length).toBe(2);
    expect(projectVolumes(p.name).length).toBe(2);
    const r = await runCliAsync(['docker-clean', '--volumes', '--yes'], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    expect(projectContainers(p.name)).toEqual([]);
    expect(projectVolumes(p.name)).toEqual([]);
  });

  it('a crashing app fails fast with its last log lines and the likely cause', async () => {
    const r = await crashed;
    expect(r.code, r.all).toBe(1);
    expect(r.ms).toBeLessThan(75_000);
    expect(r.stderr).toMatch(/service app is (exited|restarting)\. Likely cause: the app exited/);
    expect(r.stderr).toContain('RuntimeError: boom: cannot load the model');
  });
});
