/**
 * The loop of issue 16 end to end, against a real private registry (Verdaccio, test/helpers/verdaccio.ts):
 * 1. this workspace is released with changesets (0.1.0) and a team preset, @team/tasks, with its own tasks and
 *    defaults (0.1.0, peer range ^0.1.0), each from its own repository;
 * 2. two consumer repos install the preset by name from the registry (one through `task init` run from the
 *    registry with `pnpm dlx`, one by hand with a local task and key of its own) and run --list, config --explain,
 *    env-check and docker-build;
 * 3. both are released again (`changeset version`, then `changeset publish`): ours 0.2.0, the preset 0.2.0 with a
 *    new task and a changed default, built for ^0.2.0; the preset alone is a peer error naming both versions;
 *    `pnpm update` brings the task and the default to both repos, the changelogs say what changed, and the repo's
 *    own task and key still win.
 * Nothing here names the registry's address: the consumers' .npmrc has their scopes' registry (as a team commits
 * it), and the token is in the user npmrc the helper writes. The registry also serves the packages ours depend on
 * (`mirror`): nothing is fetched from off this machine.
 * Steps that share nothing but the registry run side by side (two cores): the two releases of 0.1.0, the two of
 * 0.2.0, and the two repos' commands; each test still ends only when all it started has.
 */
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';
import { DOCKER, requireEngineAndImages } from '../helpers/docker.ts';
import { OLD_FILES } from '../helpers/old-repo.ts';
import { presetRepo, presetTask, writeTree } from '../helpers/preset.ts';
import { changeset, changesetAsync, commitAll, gitInit, releaseCopy, run, runAsync } from '../helpers/release.ts';
import { type Registry, startRegistry } from '../helpers/verdaccio.ts';

const TEAM_CONFIG = (healthPath: string) => `export default {
  image: 'team-app:latest',
  healthPath: '${healthPath}',
  services: { ollama: { port: 11434, health: '/api/tags' } },
};
`;

const made: string[] = [];

/** Waits for every promise, so nothing still runs when a test ends; then throws the first failure, or gives the values. */
async function settled<T extends unknown[]>(...promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}
const temp = (prefix: string) => {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
};

describe('a team preset, published to a private registry and upgraded across two repos', () => {
  let registry: Registry;
  let release: string;
  let preset: string;
  const repos: Record<'a' | 'b', string> = { a: '', b: '' };
  const images: string[] = [];
  const env = () => ({ ...registry.env, NO_COLOR: '1' });
  const task = (repo: string, ...args: string[]) => runAsync(['pnpm', 'task', ...args], repo, env());
  /** The same steps in both repos, side by side; ends when both have, with the first failure. */
  const inBoth = async (steps: (name: 'a' | 'b', repo: string) => Promise<void>) => settled(...(['a', 'b'] as const).map((name) => steps(name, repos[name])));

  beforeAll(async () => {
    // The engine first: building missing stand-in images can outlast the registry's 30 s start-up limit, whose timer
    // would fire before the registry's output is read (this code is synchronous). Verdaccio starts while the
    // workspace is copied (about 2 s).
    requireEngineAndImages();
    const starting = startRegistry({ mirror: true });
    try {
      release = releaseCopy();
      made.push(release);
    } finally {
      registry = await starting;
      made.push(registry.dir);
    }
  }, 300_000);

  afterAll(() => {
    registry?.stop();
    if (images.length > 0) run([DOCKER, 'image', 'rm', '-f', ...images], ROOT);
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  // The two releases of 0.1.0 share nothing but the registry: they run side by side (it.concurrent, the two tests only).
  it.concurrent('publishes 0.1.0 of this workspace with changesets, as built JavaScript and types', async () => {
    const out = await changesetAsync(release, ['publish'], registry.env);
    expect(out).toMatch(/Successfully published:[\s\S]*@promtior\/tasks@0\.1\.0/);
    const view = await runAsync(['npm', 'view', '@promtior/tasks@0.1.0', 'bin', 'exports', '--json'], release, registry.env);
    expect(view.code, view.out).toBe(0);
    expect(JSON.parse(view.stdout).bin).toEqual({ task: './bin/task' });
    expect(JSON.parse(view.stdout).exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  }, 300_000);

  it.concurrent('publishes 0.1.0 of the team preset: its tasks, its defaults, built for @promtior/tasks ^0.1.0', async () => {
    preset = temp('task-e2e-preset-');
    presetRepo(preset, {
      version: '0.1.0',
      peer: '^0.1.0',
      tasks: {
        'team-check.js': presetTask('team-check', 'The team check', 'team check 0.1.0'),
        'team-info.js': presetTask('team-info', 'What the team preset sets', 'team info'),
      },
      config: TEAM_CONFIG('/health'),
    });
    // The preset repository's own tools (changesets) come installed, as in any repo.
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(preset, 'node_modules'));
    gitInit(preset);
    expect(await changesetAsync(preset, ['publish'], registry.env)).toMatch(/@team\/tasks@0\.1\.0/);
  }, 120_000);

  it('repo A: task init, run from the registry, installs the preset by name and sets the repo up', async () => {
    repos.a = consumer('a');
    // The bootstrap a team documents: nothing of ours is installed yet.
    const init = run(['pnpm', '--package=@promtior/tasks@0.1.0', 'dlx', 'task', 'init', '--preset', '@team/tasks'], repos.a, env());
    expect(init.code, init.out).toBe(0);
    expect(init.out).toContain('configuration loads; presets: @team/tasks@0.1.0');
    expect(init.out).toMatch(/Docker daemon: engine/);
    const pkg = JSON.parse(readFileSync(path.join(repos.a, 'package.json'), 'utf8'));
    expect(pkg.devDependencies).toMatchObject({ '@team/tasks': expect.stringMatching(/0\.1\.0/), '@promtior/tasks': expect.stringMatching(/0\.1\.0/) });
    expect(pkg.scripts.task).toBe('task');
    expect(readFileSync(path.join(repos.a, 'Makefile'), 'utf8')).toContain('docker-build:\n\tpnpm task docker-build\n');
    // A second init changes nothing.
    const again = await task(repos.a, 'init', '--preset', '@team/tasks', '--dry-run');
    expect(again.out).toContain('nothing to change');
  }, 300_000);

  it('repo B: installs the preset by hand and keeps a task and a key of its own', () => {
    repos.b = consumer('b');
    writeTree(repos.b, {
      'tasks.config.ts':
        "import { defineConfig } from '@promtior/tasks';\n\nexport default defineConfig({\n  extends: ['@team/tasks'],\n  healthPath: '/own-health',\n});\n",
      // What init writes for pnpm (see the README): the team's releases are not held back by minimumReleaseAge.
      'pnpm-workspace.yaml': "minimumReleaseAgeExclude:\n  - '@promtior/*'\n  - '@team/*'\n",
      'tasks/team-check.ts': `import { action, defineTask, z } from '@promtior/tasks';\n\nexport const own = defineTask({\n  name: 'team-check',\n  description: 'Repo B’s own check',\n  options: z.object({}),\n  plan: () => [action('check', ['check'], (rt) => rt.log('repo B check'))],\n});\n`,
    });
    const add = run(['pnpm', 'add', '--save-dev', '@team/tasks', '@promtior/tasks'], repos.b, env());
    expect(add.code, add.out).toBe(0);
  }, 300_000);

  it('both run --list (sources and versions), config --explain, env-check and docker-build from the installed packages', async () => {
    await inBoth(async (name, repo) => {
      const list = await task(repo, '--list');
      expect(list.code, list.out).toBe(0);
      expect(list.out).toMatch(/team-info +What the team preset sets +\[@team\/tasks@0\.1\.0\]/);
      expect(list.out).toMatch(/docker-build +.*\[@promtior\/tasks@0\.1\.0\]/);
      expect(list.out).toMatch(
        name === 'a'
          ? /team-check +The team check +\[@team\/tasks@0\.1\.0\]/
          : /team-check +Repo B’s own check +\[tasks\/team-check\.ts, overrides @team\/tasks@0\.1\.0\]/,
      );
      const explain = await task(repo, 'config', '--explain');
      expect(explain.out).toMatch(name === 'a' ? /^healthPath +"\/health" +@team\/tasks@0\.1\.0$/m : /^healthPath +"\/own-health" +tasks\.config\.ts$/m);
      expect(explain.out).toMatch(/^image +"team-app:latest" +@team\/tasks@0\.1\.0$/m);
      expect((await task(repo, 'env-check')).code).toBe(0);
      const tag = `${path.basename(repo).toLowerCase()}:latest`;
      images.push(tag);
      const build = await task(repo, 'docker-build', '--tag', tag);
      expect(build.code, build.out).toBe(0);
    });
  }, 600_000);

  it('publishes 0.2.0 of both: a new task, a changed default, changelogs; the preset alone is a peer error naming both versions', async () => {
    writeFileSync(
      path.join(release, '.changeset', 'release-test.md'),
      '---\n"@promtior/tasks": minor\n---\n\nRelease test: a minor release of the linked packages.\n',
    );
    changeset(release, ['version'], registry.env);
    commitAll(release, 'version packages');
    // `changeset version` changed versions and changelogs only: the dist/ each prepack built for 0.1.0 (and left in
    // place) is what a rebuild would give, so it ships as it is (pnpm's ignore-scripts), not built again (~7
    // CPU-seconds of tsc). The 0.1.0 release above runs the prepacks; the installs below use what 0.2.0 holds.
    const ours = changesetAsync(release, ['publish'], { ...registry.env, pnpm_config_ignore_scripts: 'true' });
    // Meanwhile, the team releases its preset from its own repository.
    const theirs = (async () => {
      writeTree(preset, {
        'tasks/team-release.js': presetTask('team-release', 'Release the team way', 'team release'),
        'tasks.config.js': TEAM_CONFIG('/ready'),
        '.changeset/new-task.md':
          '---\n"@team/tasks": minor\n---\n\nNew task team-release; the default healthPath is now /ready; built for @promtior/tasks ^0.2.0.\n',
      });
      const pkgFile = path.join(preset, 'package.json');
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
      writeFileSync(pkgFile, `${JSON.stringify({ ...pkg, peerDependencies: { '@promtior/tasks': '^0.2.0' } }, null, 2)}\n`);
      changeset(preset, ['version'], registry.env);
      commitAll(preset, 'version packages');
      expect(readFileSync(path.join(preset, 'CHANGELOG.md'), 'utf8')).toMatch(/## 0\.2\.0[\s\S]*New task team-release; the default healthPath is now \/ready/);
      return changesetAsync(preset, ['publish'], registry.env);
    })();
    const [ourOut, theirOut] = await settled(ours, theirs);
    expect(ourOut).toMatch(/@promtior\/tasks@0\.2\.0/);
    expect(theirOut).toMatch(/@team\/tasks@0\.2\.0/);

    // Repo A takes the new preset first: built for ^0.2.0, it refuses to run on the 0.1.0 the repo still has.
    const update = run(['pnpm', 'update', '--latest', '@team/tasks'], repos.a, env());
    expect(update.code, update.out).toBe(0);
    const mismatch = await task(repos.a, 'env-check');
    expect(mismatch.code).toBe(1);
    expect(mismatch.out).toContain(
      'extends @team/tasks@0.2.0, which is built for @promtior/tasks ^0.2.0 (its peerDependencies), but this repo has @promtior/tasks 0.1.0',
    );
  }, 600_000);

  it('pnpm update brings the new task and default to both repos; the changelogs say what changed; repo B’s own still win', async () => {
    await inBoth(async (name, repo) => {
      const update = await runAsync(['pnpm', 'update', '--latest', '@team/tasks', '@promtior/tasks'], repo, env());
      expect(update.code, update.out).toBe(0);
      const list = await task(repo, '--list');
      expect(list.code, list.out).toBe(0);
      expect(list.out).toMatch(/team-release +Release the team way +\[@team\/tasks@0\.2\.0\]/);
      expect(list.out).toMatch(/docker-build +.*\[@promtior\/tasks@0\.2\.0\]/);
      const explain = await task(repo, 'config', '--explain');
      if (name === 'a') expect(explain.out).toMatch(/^healthPath +"\/ready" +@team\/tasks@0\.2\.0$/m);
      else {
        expect(explain.out).toMatch(/^healthPath +"\/own-health" +tasks\.config\.ts$/m);
        expect(list.out).toMatch(/team-check +Repo B’s own check +\[tasks\/team-check\.ts, overrides @team\/tasks@0\.2\.0\]/);
        expect((await task(repo, 'team-check')).out).toContain('repo B check');
      }
      expect((await task(repo, 'env-check')).code).toBe(0);
      const teamLog = readFileSync(path.join(repo, 'node_modules', '@team', 'tasks', 'CHANGELOG.md'), 'utf8');
      expect(teamLog).toMatch(/## 0\.2\.0\n\n### Minor Changes\n\n- [0-9a-f]*:? ?New task team-release; the default healthPath is now \/ready/);
      const ourLog = readFileSync(path.join(repo, 'node_modules', '@promtior', 'tasks', 'CHANGELOG.md'), 'utf8');
      expect(ourLog).toMatch(/## 0\.2\.0[\s\S]*Release test: a minor release of the linked packages\./);
    });
  }, 600_000);

  /** A repo of the team's: its Python service, a .env, the old Makefile, and its scopes' registry in .npmrc. */
  function consumer(name: string): string {
    const dir = temp(`consumer-${name}-`);
    cpSync(path.join(ROOT, 'docker', 'assistant', 'pyproject.toml'), path.join(dir, 'pyproject.toml'));
    cpSync(path.join(ROOT, 'docker', 'assistant', 'src'), path.join(dir, 'src'), { recursive: true, filter: (f) => !f.includes('__pycache__') });
    writeTree(dir, {
      '.npmrc': registry.scopeLines,
      '.env': 'ADMIN_REINGEST_KEY=consumer-admin-key-0123456789\n',
      Makefile: OLD_FILES.Makefile,
      'package.json': `${JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }, null, 2)}\n`,
    });
    return dir;
  }
});
