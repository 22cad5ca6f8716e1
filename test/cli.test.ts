import { describe, expect, it } from 'vitest';
import { runCli, tempRepo } from './helpers/cli.ts';
import { installPreset, presetTask } from './helpers/preset.ts';

describe('task CLI: listing, help and usage errors', () => {
  it('--list shows built-in and local tasks, grouped, with where each comes from', () => {
    const r = runCli(['--list']);
    expect(r.code).toBe(0);
    for (const name of ['docker-build', 'docker-run', 'docker-dev', 'docker-clean', 'backup', 'migrate', 'env-check', 'doctor', 'test', 'bench']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
    expect(r.stdout).toMatch(/^docker:$/m);
    expect(r.stdout).toMatch(/docker-build .*\[@promtior\/tasks@\d+\.\d+\.\d+\]/);
    expect(r.stdout).toMatch(/test .*\[tasks\/test\.ts\]/);
  });

  it('--list --json is machine-readable', () => {
    const tasks = JSON.parse(runCli(['--list', '--json']).stdout) as { name: string; group: string; source: string }[];
    expect(tasks.find((t) => t.name === 'env-check')).toMatchObject({ group: 'config', source: expect.stringMatching(/^@promtior\/tasks@/) });
  });

  it('an unknown task exits 2 and suggests the closest', () => {
    const r = runCli(['dokcer-dev']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown task "dokcer-dev". Did you mean docker-dev?');
  });

  it('an unknown or bad flag exits 2 and names it', () => {
    expect(runCli(['docker-build', '--taget', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('Did you mean --target?') });
    expect(runCli(['docker-build', '--target', 'staging'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--target got "staging"') });
    expect(runCli(['--outptu', 'json'])).toMatchObject({ code: 2, stderr: expect.stringContaining('Did you mean --output?') });
    expect(runCli(['-C', '/no/such/dir', '--list'])).toMatchObject({ code: 2, stderr: expect.stringContaining('-C /no/such/dir: no such folder') });
  });

  it('NAME --help shows flags, types and defaults from the schema', () => {
    const r = runCli(['docker-build', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--target <production\|runtime-minimal\|development\|dependencies\|base> +Dockerfile stage to build \(default: production\)/);
    expect(r.stdout).toContain('--no-cache');
  });

  it('a local task overrides a built-in and the listing says so; a broken task file is named', () => {
    const dir = tempRepo({
      'tasks/mine.ts': `import { defineTask, cmd } from '@promtior/tasks';\nimport { z } from 'zod';\nexport const doctor = defineTask({ name: 'doctor', description: 'my doctor', options: z.object({}), run: (_o, ctx) => [cmd(['true'], { cwd: ctx.cwd })] });\n`,
    });
    const r = runCli(['--list'], { cwd: dir });
    expect(r.stdout).toMatch(/doctor +my doctor +\[tasks\/mine\.ts, overrides @promtior\/tasks@/);
    const broken = tempRepo({ 'tasks/bad.ts': 'export const = 1;\n' });
    const b = runCli(['--list'], { cwd: broken });
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/warning: cannot load task file tasks\/bad\.ts:1:\d+/);
  });

  it('a built-in a task file re-exports stays the built-in (also when the built-ins come from their cached list)', () => {
    const dir = tempRepo({
      'tasks/ci.ts': `import { defineTask, dockerBuild, cmd } from '@promtior/tasks';\nimport { z } from 'zod';\nexport { dockerBuild };\nexport const ci = defineTask({ name: 'ci', description: 'build then check', options: z.object({}), deps: [dockerBuild], run: (_o, ctx) => [cmd(['true'], { cwd: ctx.cwd })] });\n`,
    });
    // The first start may make the built-ins' list, the second reads it: both must list the same.
    for (const r of [runCli(['--list'], { cwd: dir }), runCli(['--list'], { cwd: dir })]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ {2}docker-build +.*\[@promtior\/tasks@\d+\.\d+\.\d+\]$/m);
      expect(r.stdout).not.toContain('overrides');
      expect(r.stdout).toMatch(/^ {2}ci +build then check +\[tasks\/ci\.ts\] +needs: docker-build$/m);
    }
  });

  it('a re-exported built-in still overrides a preset task of its name, as a task of that file', () => {
    const dir = tempRepo({
      'tasks.config.ts': `import { defineConfig } from '@promtior/tasks';\n\nexport default defineConfig({ extends: ['@team/tasks'] });\n`,
      'tasks/re.ts': `import { dockerBuild } from '@promtior/tasks';\nexport const build = dockerBuild;\n`,
    });
    installPreset(dir, { version: '1.2.3', tasks: { 'build.js': presetTask('docker-build', 'team build', 'team') } });
    for (const r of [runCli(['--list'], { cwd: dir }), runCli(['--list'], { cwd: dir })]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^ {2}docker-build +Build the image .*\[tasks\/re\.ts, overrides @team\/tasks@1\.2\.3\]/m);
      expect(r.stdout).not.toContain('team build');
    }
  });

  it('-C DIR acts on another folder', () => {
    const dir = tempRepo({
      'tasks/hello.ts': `import { defineTask, cmd } from '@promtior/tasks';\nimport { z } from 'zod';\nexport const hello = defineTask({ name: 'hello', description: 'says hi', options: z.object({}), run: (_o, ctx) => [cmd(['pwd'], { cwd: ctx.cwd })] });\n`,
    });
    const r = runCli(['-C', dir, 'hello']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`[hello] ${dir}`);
  });
});
