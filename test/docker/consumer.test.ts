import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { inBatches, ROOT } from '../helpers/cli.ts';
import { docker, requireEngine } from '../helpers/docker.ts';
import { OLD_FILES } from '../helpers/old-repo.ts';
import { releaseCopy } from '../helpers/release.ts';

const PACKAGES = ['env', 'audit', 'docker-assets', 'tasks'];

/**
 * pnpm pack of every workspace package, as a release would publish them. Two at a time: each pack is mostly its
 * prepack's tsc (one core) and pnpm's start-up; each package builds from the others' sources, so no order is needed.
 * From a copy of the workspace (test/helpers/release.ts): a prepack rewrites the package's dist/, and `./task test`
 * runs check-packages, which does the same in this checkout, beside the engine tests.
 */
async function pack(): Promise<Record<string, string>> {
  const dest = mkdtempSync(path.join(tmpdir(), 'packs-'));
  const workspace = releaseCopy();
  await inBatches(
    2,
    PACKAGES.map((p) => () => promisify(execFile)('pnpm', ['pack', '--pack-destination', dest], { cwd: path.join(workspace, 'packages', p) })),
  );
  return Object.fromEntries(PACKAGES.map((p) => [p, path.join(dest, `promtior-${p}-0.1.0.tgz`)]));
}

describe('a repo outside this workspace installs the packed packages and uses every task', () => {
  let repo: string;
  const pnpm = (...args: string[]) => spawnSync('pnpm', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });

  beforeAll(async () => {
    requireEngine();
    const tgz = await pack();
    repo = realpathSync(mkdtempSync(path.join(tmpdir(), 'consumer-')));
    writeFileSync(
      path.join(repo, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module', devDependencies: { '@promtior/tasks': `file:${tgz.tasks}` } }, null, 2),
    );
    // Not published yet: the internal dependencies come from the tarballs too.
    writeFileSync(
      path.join(repo, 'pnpm-workspace.yaml'),
      `overrides:\n${['env', 'audit', 'docker-assets'].map((p) => `  "@promtior/${p}": "file:${tgz[p]}"`).join('\n')}\n`,
    );
    for (const [f, c] of Object.entries(OLD_FILES)) writeFileSync(path.join(repo, f), c);
    writeFileSync(path.join(repo, '.env'), 'ADMIN_REINGEST_KEY=consumer-admin-key-0123456789\nAPP_PORT=18991\n');
    execFileSync('cp', ['-r', path.join(ROOT, 'docker', 'assistant', 'pyproject.toml'), path.join(ROOT, 'docker', 'assistant', 'src'), repo]);
    mkdirSync(path.join(repo, 'tasks'));
    writeFileSync(
      path.join(repo, 'tasks', 'release.ts'),
      `import { call, defineTask, dockerBuild, z } from '@promtior/tasks';\n\nexport const release = defineTask({\n  name: 'release',\n  description: 'Build the production image under a release tag',\n  options: z.object({ version: z.string() }),\n  run: (o) => [call(dockerBuild, { target: 'production', tag: \`consumer-app:\${o.version}\` })],\n});\n`,
    );
    const install = pnpm('install');
    expect(install.status, install.stderr).toBe(0);
  });

  it('has the CLI and its sources from the packages only (no workspace links)', () => {
    const tasksDir = realpathSync(path.join(repo, 'node_modules', '@promtior', 'tasks'));
    expect(tasksDir.startsWith(ROOT)).toBe(false);
    expect(existsSync(path.join(tasksDir, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(existsSync(path.join(tasksDir, 'src'))).toBe(false);
    const list = pnpm('task', '--list');
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/docker-build +.*\[@promtior\/tasks@0\.1\.0\]/);
    expect(list.stdout).toMatch(/release +Build the production image under a release tag +\[tasks\/release\.ts\]/);
  });

  it('runs migrate, env-check, docker-build, docker-run, audit, backup --volumes, docker-clean --volumes and a local task', () => {
    const name = path.basename(repo).toLowerCase();
    try {
      for (const args of [
        // docker-run below proves the result runs; migrate's own proof would be the same run.
        ['migrate', '--no-build'],
        ['env-check'],
        ['docker-build', '--tag', `${name}:latest`],
        ['docker-run', '--tag', `${name}:latest`],
        ['audit', '--min-score', '50'],
        ['backup', '--volumes'],
        ['docker-clean', '--volumes', '--yes'],
        ['release', '--version', '9.9.9'],
      ]) {
        const r = pnpm('task', ...args);
        expect(r.status, `pnpm task ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
      }
      expect(readFileSync(path.join(repo, 'Makefile'), 'utf8')).toContain('docker-build:\n\tpnpm task docker-build');
      expect(docker('image', 'inspect', '--format', '{{.Id}}', 'consumer-app:9.9.9').trim()).toMatch(/^sha256:/);
    } finally {
      spawnSync('docker', ['image', 'rm', '-f', 'consumer-app:9.9.9', `${name}:latest`], { stdio: 'ignore' });
      pnpm('task', 'docker-clean', '--volumes', '--yes', '--no-backup');
    }
  });
});
