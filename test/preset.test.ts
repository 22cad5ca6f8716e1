/**
 * Team presets (issue 16) through the real CLI: a package in node_modules that the repo's tasks.config.ts extends.
 * Precedence of tasks (repo-local over preset over built-in) and of config keys (same order, per key), shown by
 * --list (also from the cached manifest, without loading a task module) and `config --explain`; the peer range.
 * The same loop against a real registry and real installs is test/docker/preset-release.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { age, cacheHome, manifestFile } from './helpers/cache.ts';
import { GOOD_KEY, runCli, tempRepo } from './helpers/cli.ts';
import { installPreset, presetTask } from './helpers/preset.ts';

const TEAM_CONFIG = `export default {
  image: 'team-app:latest',
  healthPath: '/healthz',
  services: { ollama: { port: 11434, health: '/api/tags' } },
};
`;

function teamPreset(version = '0.1.0', extra: Record<string, string> = {}) {
  return {
    version,
    tasks: {
      'team-hello.js': presetTask('team-hello', 'Say hello from the team', `hello from ${version}`),
      'team-check.js': presetTask('team-check', 'The team check', 'team check'),
      // A preset may replace a built-in, as a repo may.
      'doctor.js': presetTask('doctor', 'The team doctor', 'team doctor'),
      ...extra,
    },
    config: TEAM_CONFIG,
  };
}

/** A repo that extends @team/tasks, overrides one of its tasks and one of its keys. */
function repo(configExtra = "  image: 'repo-app:1',\n") {
  const dir = tempRepo({
    'tasks.config.ts': `import { defineConfig } from '@promtior/tasks';\n\nexport default defineConfig({\n  extends: ['@team/tasks'],\n${configExtra}});\n`,
    'tasks/team-check.ts': `import { action, defineTask, z } from '@promtior/tasks';\n\nexport const own = defineTask({\n  name: 'team-check',\n  description: 'This repo’s own check',\n  options: z.object({}),\n  plan: () => [action('check', ['check'], (rt) => rt.log('the repo’s own check'))],\n});\n`,
    '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n`,
  });
  installPreset(dir, teamPreset());
  return dir;
}

const line = (list: string, name: string) => list.split('\n').find((l) => l.startsWith(`  ${name} `)) ?? '';

describe('a repo that extends a team preset', () => {
  it('--list: repo-local tasks over preset tasks over built-ins, each with its source and version', () => {
    const dir = repo();
    const r = runCli(['--list'], { cwd: dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stderr).toBe('');
    expect(line(r.stdout, 'team-hello')).toMatch(/Say hello from the team +\[@team\/tasks@0\.1\.0\]$/);
    expect(line(r.stdout, 'team-check')).toMatch(/\[tasks\/team-check\.ts, overrides @team\/tasks@0\.1\.0\]$/);
    expect(line(r.stdout, 'doctor')).toMatch(/The team doctor +\[@team\/tasks@0\.1\.0, overrides @promtior\/tasks@\d+\.\d+\.\d+\]$/);
    expect(line(r.stdout, 'env-check')).toMatch(/\[@promtior\/tasks@\d+\.\d+\.\d+\]$/);
    expect(runCli(['team-check'], { cwd: dir }).all).toContain('the repo’s own check');
    expect(runCli(['doctor'], { cwd: dir }).all).toContain('team doctor');
    const json = JSON.parse(runCli(['--list', '--json'], { cwd: dir }).stdout) as { name: string; source: string; overrides?: string }[];
    expect(json.find((t) => t.name === 'team-check')).toMatchObject({ source: 'tasks/team-check.ts', overrides: '@team/tasks@0.1.0' });
  });

  it('the fast path answers --list from the manifest with the same sources, and an upgrade of the preset refreshes it', () => {
    const dir = repo();
    const { env, root } = cacheHome();
    const full = runCli(['--list'], { cwd: dir, env });
    age(dir, 60);
    age(path.join(dir, 'node_modules', '@team'), 60);
    runCli(['--list'], { cwd: dir, env });
    expect(existsSync(manifestFile(root, dir))).toBe(true);
    // Answered by bin/task.js from the manifest (a mark put into its text shows up), with the same sources.
    const file = manifestFile(root, dir);
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    expect(`${manifest.text.list}\n`).toBe(full.stdout);
    writeFileSync(file, JSON.stringify({ ...manifest, text: { ...manifest.text, list: `${manifest.text.list}# from the manifest` } }));
    expect(runCli(['--list'], { cwd: dir, env }).stdout).toBe(`${manifest.text.list}# from the manifest\n`);
    // A new version of the preset, as `pnpm update` leaves it: a new task, the version in every source.
    installPreset(dir, teamPreset('0.2.0', { 'team-release.js': presetTask('team-release', 'Release the team way', 'release') }));
    const after = runCli(['--list'], { cwd: dir, env });
    expect(line(after.stdout, 'team-release')).toMatch(/\[@team\/tasks@0\.2\.0\]$/);
    expect(line(after.stdout, 'team-check')).toMatch(/overrides @team\/tasks@0\.2\.0\]$/);
    expect(JSON.parse(readFileSync(manifestFile(root, dir), 'utf8')).tasks.some((t: { name: string }) => t.name === 'team-release')).toBe(false);
  });

  it('config --explain: each key with its value and the preset or file it comes from', () => {
    const dir = repo();
    const r = runCli(['config', '--explain'], { cwd: dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain('presets (extends, later wins): @team/tasks@0.1.0 (node_modules/@team/tasks)');
    expect(r.stdout).toMatch(/^image +"repo-app:1" +tasks\.config\.ts$/m);
    expect(r.stdout).toMatch(/^healthPath +"\/healthz" +@team\/tasks@0\.1\.0$/m);
    expect(r.stdout).toMatch(/^services\.ollama\.port +11434 +@team\/tasks@0\.1\.0$/m);
    // The tasks see the merged config.
    expect(runCli(['team-hello'], { cwd: dir }).all).toContain('hello from 0.1.0 (image repo-app:1)');
    const dry = runCli(['docker-run', '--dry-run'], { cwd: dir });
    expect(dry.stdout).toContain('/healthz');
    expect(dry.stdout).toContain('--tag repo-app:1');
    expect(JSON.parse(runCli(['config'], { cwd: dir }).stdout)).toMatchObject({ image: 'repo-app:1', healthPath: '/healthz' });
  });

  it('a repo may turn off a preset task with disable', () => {
    const dir = repo("  disable: ['team-hello'],\n");
    const r = runCli(['--list'], { cwd: dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).not.toContain('team-hello');
    expect(runCli(['team-hello'], { cwd: dir }).code).toBe(2);
    // Once the task list is cached (it leaves turned-off tasks out), the config is still valid: a regression.
    const { env, root } = cacheHome();
    age(dir, 60);
    age(path.join(dir, 'node_modules', '@team'), 60);
    runCli(['--list'], { cwd: dir, env });
    expect(existsSync(manifestFile(root, dir))).toBe(true);
    const cached = runCli(['config'], { cwd: dir, env });
    expect(cached.code, cached.all).toBe(0);
    expect(cached.stderr).not.toContain('warning');
  });

  it('a preset built for another major version of @promtior/tasks: a clear error naming both versions', () => {
    const dir = repo();
    installPreset(dir, { ...teamPreset('3.0.0'), peer: '^9.0.0' });
    const r = runCli(['env-check'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: tasks\.config\.ts: extends @team\/tasks@3\.0\.0, which is built for @promtior\/tasks \^9\.0\.0 \(its peerDependencies\), but this repo has @promtior\/tasks \d+\.\d+\.\d+\. Fix: install versions that fit/,
    );
    // --list still answers (with the warning), without the preset's tasks.
    const list = runCli(['--list'], { cwd: dir });
    expect(list.code).toBe(0);
    expect(list.stderr).toContain('built for @promtior/tasks ^9.0.0');
    expect(list.stdout).not.toContain('team-hello');
  });

  it('a preset that is not installed, or has no peer range, or extends another: each named with its fix', () => {
    const missing = tempRepo({ 'tasks.config.ts': "export default { extends: ['@team/nothing'] };\n", '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n` });
    expect(runCli(['env-check'], { cwd: missing }).stderr).toContain(
      'tasks.config.ts: extends "@team/nothing", which is not installed (no node_modules/@team/nothing in',
    );
    const noPeer = repo();
    installPreset(noPeer, { ...teamPreset(), peer: null });
    expect(runCli(['env-check'], { cwd: noPeer }).stderr).toContain('does not say which versions of @promtior/tasks it is built for');
    const nested = repo();
    installPreset(nested, { ...teamPreset(), config: "export default { extends: ['@team/base'] };\n" });
    expect(runCli(['env-check'], { cwd: nested }).stderr).toContain('@team/tasks@0.1.0: its tasks.config extends @team/base; a preset cannot extend another');
  });

  it('a preset config with a mistake is named in the preset’s own file', () => {
    const dir = repo();
    installPreset(dir, { ...teamPreset(), config: "export default {\n  image: 'x:1',\n  healthpath: '/h',\n};\n" });
    const r = runCli(['env-check'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/node_modules\/@team\/tasks\/tasks\.config\.js is not valid: tasks\.config\.js:3: healthpath: unknown key/);
  });
});
