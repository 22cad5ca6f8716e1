import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.ts';
import { requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, projectContainers, removeProject } from '../helpers/project.ts';

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function version(url: string): Promise<string | undefined> {
  const res = await fetch(`${url}/version`, { signal: AbortSignal.timeout(1000) });
  return ((await res.json()) as { version: string }).version;
}

function debugBanner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    let asked = false;
    s.on('data', (d) => {
      got += d;
      if (!asked && got.endsWith('>>> ')) {
        asked = true;
        s.write('1+1\n');
      }
      if (got.includes('>>> 2\n')) {
        s.end();
        resolve(got);
      }
    });
    s.on('error', reject);
    setTimeout(() => reject(new Error(`no debug console answer: ${got}`)), 5000);
  });
}

describe('docker-dev: hot reload, debug port, Ctrl-C', () => {
  let p: ExampleProject;

  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject({ DEBUG_HOST_PORT: '0' });
  });
  afterAll(() => removeProject(p));

  it('on a fresh clone (no .env) writes one, serves the mounted source, reloads on a change, opens the debugger, and leaves no container after Ctrl-C', async () => {
    const debugPort = p.port + 1000;
    rmSync(path.join(p.dir, '.env'));
    const child = startCli(['docker-dev', '--tag', `${p.name}-dev:latest`], {
      cwd: p.dir,
      env: { DEBUG_HOST_PORT: String(debugPort), APP_PORT: String(p.port) },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      expect(await until(`the app on ${p.url}\n${out}`, 120_000, () => version(p.url))).toBe('1');
      const env = readFileSync(path.join(p.dir, '.env'), 'utf8');
      expect(statSync(path.join(p.dir, '.env')).mode & 0o777).toBe(0o600);
      expect(env).toMatch(/^ADMIN_REINGEST_KEY=[a-f0-9]{64}$/m);
      expect(out).toContain('with a generated ADMIN_REINGEST_KEY');
      expect(out).not.toContain(env.match(/ADMIN_REINGEST_KEY=(\w+)/)?.[1] as string);
      const main = path.join(p.dir, 'src', 'app', 'main.py');
      writeFileSync(main, readFileSync(main, 'utf8').replace('VERSION = "1"', 'VERSION = "hot"'));
      const reloadStarted = Date.now();
      expect(await until('the reloaded app', 20_000, async () => ((await version(p.url)) === 'hot' ? 'hot' : undefined))).toBe('hot');
      expect(Date.now() - reloadStarted).toBeLessThan(10_000);
      expect(out).toContain('hot reload: app/main.py changed; restarting');
      expect(await debugBanner(debugPort)).toMatch(/promtior debug console, Python 3\.\d+\.\d+\n>>> 2\n/);
    } finally {
      child.kill('SIGINT');
    }
    const sent = Date.now();
    expect(await exited).toBe(130);
    expect(Date.now() - sent).toBeLessThan(15_000);
    expect(out).toContain('Summary:');
    expect(projectContainers(p.name)).toEqual([]);
  });
});
