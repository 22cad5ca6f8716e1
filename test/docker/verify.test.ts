import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assetPath } from '@promtior/docker-assets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.ts';
import { DOCKER, docker, requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, removeProject } from '../helpers/project.ts';

interface Item {
  group: string;
  name: string;
  ok: boolean;
  figure: string;
  detail?: string;
}

/** A verify run's deadline: SIGINT then (it cleans up), under the test's own timeout. */
const RUN_TIMEOUT = 300_000;

/**
 * Health checks every second instead of the image's 10 s and the compose files' 10 s and 5 s, where the wait is not
 * what a case tests: the checks are the same, Docker only runs them sooner, so the container and each stack are
 * healthy seconds sooner.
 */
const FAST_HEALTH = ['--health-interval', '1'];

/** Runs verify on a project whose Dockerfile is the asset with one deliberate break. */
async function verifyBroken(
  breakIt: (dockerfile: string) => string,
  extra: (dir: string) => void = () => {},
  args: string[] = [],
): Promise<{ code: number | null; items: Item[]; stderr: string }> {
  const p = mine(exampleProject());
  try {
    writeFileSync(path.join(p.dir, 'Dockerfile'), breakIt(readFileSync(assetPath('Dockerfile'), 'utf8')));
    extra(p.dir);
    const r = await runCliAsync(['verify', '--no-dev', '--format', 'json', ...FAST_HEALTH, ...args], { cwd: p.dir }, RUN_TIMEOUT);
    return { code: r.code, items: (JSON.parse(r.stdout) as { items: Item[] }).items, stderr: r.stderr };
  } finally {
    removeProject(p);
  }
}

/** The example projects this file verifies (their names start the labels of the images verify builds for them). */
const projects: string[] = [];
const mine = (p: ExampleProject): ExampleProject => {
  projects.push(p.name);
  return p;
};

const failed = (items: Item[]) => items.filter((i) => !i.ok).map((i) => i.name);
/** The failed items with their figures and details, for an assertion's message. */
const why = (items: Item[]) => JSON.stringify(items.filter((i) => !i.ok));

// Each case verifies its own project (its own names, images, stacks and free host ports), and a verify run mostly
// waits on the engine (health checks, stacks starting and stopping: about 14 s of CPU in 40-75 s), so the five run
// side by side (at most the docker project's maxConcurrency at a time, in this order: the two longest first, so neither
// waits for a free slot). Each run gets 5 minutes, the test 6.
describe.concurrent('verify: the checklist can fail, each break on its own line', { timeout: 360_000 }, () => {
  // verify rebuilds under the same tag: the images a rebuild untagged must not stay behind as <none>. Another engine
  // run may be building beside this file (./task test), so only this file's projects' images count: every image
  // verify builds carries its project's label, which starts with the name of the example project it verifies.
  const dangling = () => {
    const ids = docker('image', 'ls', '-q', '--no-trunc', '--filter', 'dangling=true', '--filter', 'label=com.promtior.tasks.project')
      .split('\n')
      .filter(Boolean);
    if (ids.length === 0) return [];
    // Not docker(): an image another run removes between the two commands makes inspect exit 1 for that one.
    return spawnSync(DOCKER, ['image', 'inspect', '--format', '{{.Id}} {{index .Config.Labels "com.promtior.tasks.project"}}', ...ids], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((line) => projects.some((name) => line.split(' ')[1]?.startsWith(`${name}-verify-`)));
  };
  afterAll(() => {
    expect(projects.length).toBeGreaterThan(0);
    expect(dangling()).toEqual([]);
  });
  beforeAll(() => {
    requireEngineAndImages();
  });

  it('passes on the shipped set-up and leaves nothing behind', async () => {
    const p = mine(exampleProject());
    try {
      const r = await runCliAsync(['verify', '--format', 'json', ...FAST_HEALTH], { cwd: p.dir }, RUN_TIMEOUT);
      const items = (JSON.parse(r.stdout) as { items: Item[] }).items;
      expect(failed(items), r.stderr).toEqual([]);
      expect(items.length).toBe(15);
      expect(items.find((i) => i.name === 'image size under 250 MB')?.figure).toMatch(/^\d+\.\d MB$/);
      // The runtime container got the 1 s interval too: healthy before the image's own 10 s interval would first check.
      expect(Number(/^healthy after (\d+\.\d) s$/.exec(items.find((i) => i.name === 'healthy within 60 s')?.figure ?? '')?.[1])).toBeLessThan(10);
      // This project's names only: another run on the same engine may be verifying its own project meanwhile.
      expect(docker('ps', '-a', '--format', '{{.Names}}')).not.toContain(`${p.name}-verify`);
      expect(docker('images', '--format', '{{.Repository}}')).not.toContain(`${p.name}-verify`);
    } finally {
      removeProject(p);
    }
  });

  it('a health check that can never pass', async () => {
    const r = await verifyBroken(
      (d) =>
        d.replace(
          /http:\/\/127\.0\.0\.1:%s%s' % \(os\.environ\.get\('PORT'\) or os\.environ\.get\('APP_PORT', '8000'\), os\.environ\.get\('APP_HEALTH_PATH', '\/health'\)\)/g,
          "http://127.0.0.1:1/health'",
        ),
      undefined,
      // The deadline is the user's to set; 10 s here instead of the default 60 s spares the suite 50 s of waiting.
      ['--health-timeout', '10'],
    );
    expect(r.code).toBe(1);
    expect(failed(r.items)).toContain('healthy within 10 s');
    const item = r.items.find((i) => i.name === 'healthy within 10 s');
    expect(item?.figure).toBe('not healthy after 10 s');
    // The reason: Docker's own health state, with a check every second (still in the image's 30 s start period).
    expect(item?.detail).toMatch(/^starting; (\d) of the last \1 checks failed; last: exit 1, .*Connection refused/);
  });

  it('a root user', async () => {
    const r = await verifyBroken((d) => d.replace(/^USER appuser\n(?=EXPOSE \$\{APP_PORT\}\n# Python)/m, ''));
    expect(r.code).toBe(1);
    // Root without capabilities (cap_drop: ALL) cannot write the appuser-owned volume either: that line fails too.
    expect(failed(r.items)).toContain('runs as appuser');
    expect(
      failed(r.items).filter((n) => n !== 'named volumes survive stop and start'),
      why(r.items),
    ).toEqual(['runs as appuser']);
    expect(r.items.find((i) => i.name === 'runs as appuser')?.figure).toBe('whoami = root, id -u = 0');
  });

  it('a secret baked in with ENV', async () => {
    const r = await verifyBroken((d) =>
      d.replace('FROM base AS production\n', 'FROM base AS production\nENV ADMIN_REINGEST_KEY=e2e-admin-key-0123456789abcdef\n'),
    );
    expect(r.code).toBe(1);
    expect(failed(r.items), why(r.items)).toEqual(['no secret in the image history or filesystem']);
  });

  it('a .dockerignore that lets .env through', async () => {
    const r = await verifyBroken(
      (d) => d,
      (dir) => {
        writeFileSync(path.join(dir, '.dockerignore'), '.git\n');
        mkdirSync(path.join(dir, 'src', 'config'), { recursive: true });
        writeFileSync(path.join(dir, 'src', 'config', '.env'), 'ADMIN_REINGEST_KEY=e2e-admin-key-0123456789abcdef\n');
      },
    );
    expect(r.code).toBe(1);
    expect(failed(r.items), why(r.items)).toEqual(['no secret in the image history or filesystem']);
    const item = r.items.find((i) => !i.ok) as Item & { detail?: string };
    expect(item.figure).toMatch(/ 1 \.env files/);
    expect(item.detail).toContain('/app/src/config/.env');
  });
});
