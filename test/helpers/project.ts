/**
 * A temp copy of the example service (pyproject.toml and src/, never the Dockerfile or compose files: the tasks
 * use the assets package's own) with its .env, plus helpers to reach it.
 */
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, tempRepo } from './cli.ts';
import { docker } from './docker.ts';

export interface ExampleProject {
  dir: string;
  /** Compose project name: the folder name, as compose derives it. */
  name: string;
  port: number;
  tag: string;
  url: string;
}

// Ten ports per test process, by pid, from the run's own range: `./task test` runs two engine runs side by side, each
// with its PROMTIOR_TEST_PORT_BASE (tasks/_engine-lanes.ts), so their projects never ask for the same host port.
let nextPort = Number(process.env.PROMTIOR_TEST_PORT_BASE ?? 18080) + (process.pid % 500) * 10;

export function exampleProject(env: Record<string, string> = {}): ExampleProject {
  const dir = tempRepo();
  cpSync(path.join(ROOT, 'docker', 'assistant', 'pyproject.toml'), path.join(dir, 'pyproject.toml'));
  cpSync(path.join(ROOT, 'docker', 'assistant', 'src'), path.join(dir, 'src'), { recursive: true, filter: (f) => !f.includes('__pycache__') });
  const port = nextPort++;
  const name = path
    .basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
  const all = { ADMIN_REINGEST_KEY: 'e2e-admin-key-0123456789abcdef', APP_PORT: String(port), ...env };
  writeFileSync(
    path.join(dir, '.env'),
    `${Object.entries(all)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  return { dir, name, port, tag: `e2e-${name}:latest`, url: `http://127.0.0.1:${port}` };
}

/** Containers of a compose project, running or not. */
export function projectContainers(name: string): string[] {
  return docker('ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${name}`).split('\n').filter(Boolean);
}

export function projectVolumes(name: string): string[] {
  return docker('volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${name}`).split('\n').filter(Boolean).sort();
}

/** Removes everything a test project left, whatever state it is in. */
export function removeProject(p: ExampleProject): void {
  const ids = projectContainers(p.name);
  if (ids.length > 0) docker('rm', '-f', '-v', ...ids);
  for (const v of projectVolumes(p.name)) docker('volume', 'rm', '-f', v);
  const nets = docker('network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${p.name}`).split('\n').filter(Boolean);
  if (nets.length > 0) docker('network', 'rm', ...nets);
  const images = docker('image', 'ls', '-q', '--filter', `label=com.promtior.tasks.project=${p.name}`).split('\n').filter(Boolean);
  if (images.length > 0) docker('image', 'rm', '-f', ...new Set(images));
}

export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.json() };
}
