/**
 * Issue 12: every shape of the team-repos corpus migrates and runs on the real engine. For each: `migrate --yes`
 * (which proves the result itself: build, start, the team's health check on the team's port, stop), then
 * `task -C <repo> docker-run` answers the team's health path on the team's port, the data its named volumes held
 * before is still there, and `migrate --rollback` restores the exact bytes of every file.
 */

import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { assetPath } from '@promtior/docker-assets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCliAsync } from '../helpers/cli.ts';
import { DOCKER, requireEngineAndImages } from '../helpers/docker.ts';
import { snapshot } from '../helpers/old-repo.ts';
import { removeProject } from '../helpers/project.ts';
import { buildKvImage, fileInVolume, KV_IMAGE, removeVolumes, seedVolume, type TeamRepo, teamRepo } from '../helpers/team-repos.ts';

interface Shape {
  shape: string;
  port: number;
  path: string;
  /** What the team's endpoint answers. */
  body: RegExp;
  /** Extra flags for migrate and docker-run. */
  flags?: string[];
  rename?: (name: string) => Record<string, string>;
  /** A named volume and the files it holds before the migration. */
  volume?: (r: TeamRepo) => { name: string; project: boolean; files: Record<string, string> };
  /** More checks once it runs. */
  after?: (r: TeamRepo, migrateOut: string) => Promise<void>;
}

const get = async (url: string) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, text: await res.text() };
};

const SHAPES: Shape[] = [
  { shape: 'requirements-flat', port: 5000, path: '/healthz', body: /"ok": true, "env": "production"/ },
  {
    shape: 'src-editable',
    port: 8080,
    path: '/health',
    body: /"log_level": "debug"/,
    // The team's base is python:3.11-slim, which is not on this machine: the stand-in (Debian's 3.11) builds it.
    flags: ['--images', 'offline'],
    rename: (name) => ({ 'shop-uploads': `shopup-${name}` }),
    volume: (r) => ({ name: `shopup-${r.name}`, project: false, files: { 'hello.txt': 'uploaded before migrate' } }),
    after: async () => expect((await get('http://127.0.0.1:8080/uploads/hello.txt')).text).toBe('uploaded before migrate'),
  },
  { shape: 'uv-lock', port: 8000, path: '/status', body: /"mode": "readonly"/ },
  { shape: 'apt-packages', port: 8081, path: '/', body: /"missing": \[\], "tz": "Europe\/Paris"/ },
  {
    shape: 'env-secrets',
    port: 7000,
    path: '/ping',
    body: /"secrets": true, "greeting": "hello"/,
    after: async (r, out) => {
      expect(statSync(path.join(r.dir, '.env')).mode & 0o777).toBe(0o600);
      expect(readFileSync(path.join(r.dir, '.env'), 'utf8')).toContain('API_TOKEN=tok_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c');
      expect(readFileSync(path.join(r.dir, 'Dockerfile'), 'utf8')).not.toContain('tok_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c');
      expect(out).toMatch(/API_TOKEN was in the old image's configuration: .* rotate it/);
      expect(out).not.toContain('tok_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c');
    },
  },
  {
    shape: 'makefile-extras',
    port: 8090,
    path: '/ready',
    body: /^ready: Quarterly$/,
    after: async (r) => {
      const makefile = readFileSync(path.join(r.dir, 'Makefile'), 'utf8');
      expect(makefile).toContain('docker-logs:\n\t$(COMPOSE) logs -f web\n');
      expect(makefile).toContain('docker-build:\n\tpnpm task docker-build\n');
      expect(makefile).not.toContain('docker build -t');
    },
  },
  {
    shape: 'db-volume',
    port: 5000,
    path: '/health',
    body: /^ok$/,
    volume: (r) => ({ name: `${r.name}_dbdata`, project: true, files: { seed: 'kept across migrate' } }),
    after: async () => expect((await get('http://127.0.0.1:5000/items/seed')).text).toBe('kept across migrate'),
  },
  {
    shape: 'worker',
    port: 8080,
    path: '/health',
    body: /^worker ok/,
    volume: (r) => ({ name: `${r.name}_cachedata`, project: true, files: { history: 'job-1 done' } }),
  },
];

/**
 * The shapes run side by side (vitest's maxConcurrency): each case waits on builds and health checks. Two shapes
 * that answer on the same port of the host take turns on it (the list puts them apart, so they seldom wait).
 */
const portTurns = new Map<number, Promise<void>>();
async function onPort<T>(port: number, run: () => Promise<T>): Promise<T> {
  const before = portTurns.get(port) ?? Promise.resolve();
  let done = () => {};
  const mine = new Promise<void>((r) => {
    done = r;
  });
  portTurns.set(
    port,
    before.then(() => mine),
  );
  await before;
  try {
    return await run();
  } finally {
    done();
  }
}

/** Times per shape, for the log (the figures of record come from `pnpm bench --suite migrate`). */
const times: string[] = [];

describe('the team repos corpus migrates and runs', () => {
  beforeAll(() => {
    requireEngineAndImages();
    buildKvImage();
  });
  afterAll(() => {
    spawnSync(DOCKER, ['image', 'rm', KV_IMAGE], { stdio: 'ignore' });
    console.log(`team repos (migrate --yes, then docker-run):\n${times.join('\n')}`);
  });

  it.concurrent.each(SHAPES.map((s) => [s.shape, s] as const))(
    '%s: migrate --yes proves it, -C docker-run answers the health path on the port, volumes keep their data, --rollback restores the bytes',
    (_name, s) =>
      onPort(s.port, async () => {
        const r = teamRepo(s.shape, s.rename);
        const volume = s.volume?.(r);
        const before = snapshot(r.dir);
        try {
          if (volume) seedVolume(volume.name, volume.files, volume.project ? r.name : undefined);
          const t0 = Date.now();
          const migrated = await runCliAsync(['migrate', '--yes', ...(s.flags ?? [])], { cwd: r.dir });
          const migrateS = (Date.now() - t0) / 1000;
          expect(migrated.code, migrated.all).toBe(0);
          expect(migrated.stdout).toMatch(new RegExp(`ready: http://127\\.0\\.0\\.1:${s.port} answered ${s.path.replace('/', '\\/')} `));
          expect(readFileSync(path.join(r.dir, 'Dockerfile'), 'utf8')).toBe(readFileSync(assetPath('Dockerfile'), 'utf8'));
          // -C must be exactly `cd` (issue 12: it said "docker-compose.yml: the file does not exist").
          const t1 = Date.now();
          const run = await runCliAsync(['-C', r.dir, 'docker-run', ...(s.flags ?? [])], { cwd: ROOT });
          const healthyS = (Date.now() - t1) / 1000;
          expect(run.code, run.all).toBe(0);
          expect(run.stdout).toContain(`ready: http://127.0.0.1:${s.port} answered ${s.path} `);
          const answer = await get(`http://127.0.0.1:${s.port}${s.path}`);
          expect(answer.status).toBe(200);
          expect(answer.text).toMatch(s.body);
          await s.after?.(r, migrated.all);
          if (volume) for (const [file, text] of Object.entries(volume.files)) expect(fileInVolume(volume.name, file)).toBe(text);
          expect((await runCliAsync(['-C', r.dir, 'docker-clean'], { cwd: ROOT })).code).toBe(0);
          const back = await runCliAsync(['migrate', '--rollback'], { cwd: r.dir });
          expect(back.code, back.all).toBe(0);
          expect(snapshot(r.dir)).toEqual(before);
          times.push(`  ${s.shape}: migrate ${migrateS.toFixed(1)} s, docker-run to healthy ${healthyS.toFixed(1)} s`);
        } finally {
          removeProject({ dir: r.dir, name: r.name, port: 0, tag: '', url: '' });
          if (volume) removeVolumes([volume.name]);
        }
      }),
    300_000,
  );
});
