import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { DOCKER, docker, requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, removeProject } from '../helpers/project.ts';

const BUDGET_MB = 250;
const SECRET = 'sk-e2e-BUILD-TIME-secret-0123456789';

/** The BuildKit step number of the line matching `title`, and whether that step was CACHED. */
function stepCached(output: string, title: RegExp): boolean {
  const step = output
    .split('\n')
    .find((l) => title.test(l))
    ?.match(/#(\d+) \[/)?.[1];
  if (!step) throw new Error(`no build step matching ${title} in:\n${output}`);
  return new RegExp(`#${step} CACHED`).test(output);
}

describe("docker-build: the seed's build checklist on the real engine", () => {
  let p: ExampleProject;
  let first: ReturnType<typeof runCli>;

  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject({ OPENAI_API_KEY: SECRET });
    // Leftovers a developer's tree has: they must not reach the image (the Dockerfile copies src/ as a whole).
    mkdirSync(path.join(p.dir, 'src', 'app', '__pycache__'));
    writeFileSync(path.join(p.dir, 'src', 'app', '__pycache__', 'main.cpython-311.pyc'), SECRET);
    writeFileSync(path.join(p.dir, 'src', '.env'), `ADMIN_REINGEST_KEY=${SECRET}\n`);
    // Outside a git checkout the build date comes from SOURCE_DATE_EPOCH alone (never from the clock).
    first = runCli(['docker-build', '--tag', p.tag, '--no-cache'], {
      cwd: p.dir,
      env: { ADMIN_REINGEST_KEY: `${SECRET}-shell`, SOURCE_DATE_EPOCH: '1767225600' },
    });
  });
  afterAll(() => removeProject(p));

  it('a clean build succeeds and reports its size, under the budget', () => {
    expect(first.code, first.all).toBe(0);
    const size = Number(first.stdout.match(/built \S+ \(target production\): ([\d.]+) MB in [\d.]+ s/)?.[1]);
    expect(size).toBeGreaterThan(1);
    expect(size).toBeLessThan(BUDGET_MB);
    expect(Number(docker('image', 'inspect', '--format', '{{.Size}}', p.tag)) / 1e6).toBeCloseTo(size, 0);
  });

  it('labels the image with the revision, a build date that is not the clock, and the project', () => {
    const labels = JSON.parse(docker('image', 'inspect', '--format', '{{json .Config.Labels}}', p.tag)) as Record<string, string>;
    expect(labels['com.promtior.tasks.project']).toBe(p.name);
    expect(labels['org.opencontainers.image.created']).toBe('2026-01-01T00:00:00.000Z');
    expect(labels['org.opencontainers.image.revision']).toBe('unknown');
  });

  it('runs as appuser (uid 1001) and /app belongs to it', () => {
    expect(docker('run', '--rm', p.tag, 'sh', '-c', 'whoami; id -u; stat -c %U:%G /app /app/src /app/data').trim().split('\n')).toEqual([
      'appuser',
      '1001',
      'appuser:appgroup',
      'appuser:appgroup',
      'appuser:appgroup',
    ]);
  });

  it('keeps .env, tests and uv out of the image, and no secret value in its history or files', () => {
    const history = docker('history', '--no-trunc', p.tag);
    expect(history).not.toContain(SECRET);
    expect(history).not.toMatch(/(^|[\s/"'])\.env(\b|$)/m);
    const created = docker('create', p.tag).trim();
    try {
      const tar = spawnSync(DOCKER, ['export', created], { maxBuffer: 1024 * 1024 * 1024 });
      expect(tar.status).toBe(0);
      expect(tar.stdout.length).toBeGreaterThan(1e6);
      expect(tar.stdout.includes(Buffer.from(SECRET))).toBe(false);
      const names = spawnSync('tar', ['-t'], { input: tar.stdout, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }).stdout.split('\n');
      expect(names.filter((n) => /(^|\/)\.env/.test(n))).toEqual([]);
      expect(names.filter((n) => n.includes('__pycache__') && n.startsWith('app/'))).toEqual([]);
      expect(names.filter((n) => n.startsWith('app/tests'))).toEqual([]);
      expect(names.filter((n) => /bin\/uv$/.test(n))).toEqual([]);
    } finally {
      docker('rm', created);
    }
  });

  it('a source-only change reuses the dependency layers', () => {
    const main = path.join(p.dir, 'src', 'app', 'main.py');
    writeFileSync(main, readFileSync(main, 'utf8').replace('VERSION = "1"', 'VERSION = "rebuilt"'));
    const again = runCli(['docker-build', '--tag', p.tag], { cwd: p.dir });
    expect(again.code, again.all).toBe(0);
    expect(stepCached(again.stdout, /\[dependencies \d\/\d\] RUN .*uv pip install/)).toBe(true);
    expect(stepCached(again.stdout, /\[production \d\/\d\] COPY --chown=appuser:appgroup src/)).toBe(false);
    expect(docker('run', '--rm', p.tag, 'sh', '-c', 'grep ^VERSION /app/src/app/main.py').trim()).toBe('VERSION = "rebuilt"');
  });

  it('an invalid environment stops the build before anything is built', () => {
    const bad = exampleProject({ APP_PORT: '0' });
    const r = runCli(['docker-build', '--tag', bad.tag], { cwd: bad.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('.env:2: APP_PORT is "0", expected an integer from 1 to 65535');
    expect(spawnSync(DOCKER, ['image', 'inspect', bad.tag]).status).not.toBe(0);
  });

  // This machine kind ships a Docker 28 client without the buildx plugin in /usr/local/bin.
  const clientWithoutBuildx =
    spawnSync('/usr/local/bin/docker', ['--version']).status === 0 && spawnSync('/usr/local/bin/docker', ['buildx', 'version']).status !== 0;
  it.runIf(clientWithoutBuildx)('a docker client without BuildKit fails with the fix', () => {
    // --no-cache: the image is already up to date, and a build that does not run needs no BuildKit.
    const r = runCli(['docker-build', '--tag', p.tag, '--no-cache'], { cwd: p.dir, env: { DOCKER: '/usr/local/bin/docker' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/BuildKit is not usable: docker \S+ at \/usr\/local\/bin\/docker has no buildx plugin.*Fix: install the buildx plugin/);
  });
});
