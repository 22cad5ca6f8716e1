import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.ts';
import { requireEngineAndImages } from '../helpers/docker.ts';
import { oldRepo, snapshot } from '../helpers/old-repo.ts';
import { removeProject } from '../helpers/project.ts';
import { freePort } from '../helpers/registry.ts';

/**
 * The old repo with free host ports: the app's, and Ollama's instead of the old compose file's fixed 11434, so the
 * cases share nothing (each its own folder, project, tag and ports) and run side by side: they mostly wait on the engine.
 */
async function repo(): Promise<string> {
  const dir = oldRepo({ APP_PORT: String(await freePort()) });
  const compose = path.join(dir, 'docker-compose.yml');
  const text = readFileSync(compose, 'utf8');
  if (!text.includes('"11434:11434"')) throw new Error(`the old compose file no longer publishes 11434:11434:\n${text}`);
  writeFileSync(compose, text.replace('"11434:11434"', `"${await freePort()}:11434"`));
  return dir;
}

describe.concurrent('a migrated repo builds and runs', () => {
  it('migrate --build: when the result does not become healthy, the files are rolled back and it says so', async () => {
    const dir = await repo();
    writeFileSync(path.join(dir, 'src', 'app', 'main.py'), 'raise SystemExit("the app cannot start")\n');
    const name = path.basename(dir).toLowerCase();
    const before = snapshot(dir);
    try {
      const r = await runCliAsync(['migrate', '--build', '--tag', `${name}:build`], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('the migrated set-up did not build or become healthy, so the repo was rolled back to its files before migrate');
      expect(snapshot(dir)).toEqual(before);
    } finally {
      removeProject({ dir, name, port: 0, tag: `${name}:build`, url: '' });
    }
  });

  beforeAll(() => {
    requireEngineAndImages();
  });

  it.each(['replace', 'keep-both'])(
    '%s: migrate, docker-run healthy, docker-clean --volumes backs up first; rollback restores the old files',
    async (strategy) => {
      const dir = await repo();
      const name = path.basename(dir).toLowerCase();
      const before = snapshot(dir);
      try {
        // docker-run below proves it runs: migrate's own proof is the same run, so it is skipped here.
        expect((await runCliAsync(['migrate', '--no-build', '--strategy', strategy], { cwd: dir })).code).toBe(0);
        const run = await runCliAsync(['docker-run', '--tag', `${name}:migrated`], { cwd: dir });
        expect(run.code, run.all).toBe(0);
        expect(run.stdout).toContain(strategy === 'replace' ? '--file Dockerfile ' : '--file Dockerfile.optimized ');
        expect(run.stdout).toMatch(strategy === 'replace' ? / -f docker-compose\.yml / : / -f docker-compose\.full\.yml /);
        expect(run.stdout).toMatch(/ready: http:\/\/127\.0\.0\.1:\d+ answered \/ready/);
        const clean = await runCliAsync(['docker-clean', '--volumes', '--yes'], { cwd: dir });
        expect(clean.code, clean.all).toBe(0);
        const backups = readdirSync(path.join(dir, '.backups')).filter((f) => /^\d{8}T/.test(f));
        const byClean = backups
          .map((id) => JSON.parse(readFileSync(path.join(dir, '.backups', id, 'manifest.json'), 'utf8')))
          .find((m) => m.task === 'docker-clean');
        // The old compose file's Ollama volume keeps its name (`ollama`): its models stay where they were.
        expect(byClean.volumes.map((v: { name: string }) => v.name).sort()).toEqual([`${name}_app-data`, `${name}_ollama`]);
        expect((await runCliAsync(['migrate', '--rollback'], { cwd: dir })).code).toBe(0);
        expect(snapshot(dir)).toEqual(before);
      } finally {
        removeProject({ dir, name, port: 0, tag: `${name}:migrated`, url: '' });
      }
    },
  );
});
