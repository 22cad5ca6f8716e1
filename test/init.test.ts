/**
 * `task init` through the real CLI, in a repo of the old kind whose package.json already lists the packages (so no
 * install: the install from a registry is test/docker/preset-release.test.ts). --dry-run shows every command and
 * every write and changes nothing; a run writes them; a second run changes nothing.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { oldRepo, snapshot } from './helpers/old-repo.ts';
import { installPreset, presetTask } from './helpers/preset.ts';

describe('task init', () => {
  it('--dry-run shows the install and every file it writes, and writes nothing', () => {
    const dir = oldRepo();
    const before = snapshot(dir);
    const r = runCli(['init', '--preset', '@team/tasks', '--dry-run'], { cwd: dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain('\npnpm add --save-dev @team/tasks @promtior/tasks\n');
    expect(r.stdout).toContain("# create tasks.config.ts (extends @team/tasks):\n#   import { defineConfig } from '@promtior/tasks';");
    expect(r.stdout).toContain('# add a "task" script in scripts to the package.json the package manager writes');
    expect(r.stdout).toMatch(/# create \.gitignore .*\n# {3}# promtior-tasks/);
    expect(r.stdout).toContain('#   +\tpnpm task docker-build');
    expect(r.stdout).toContain('#   -\tdocker build -t promtior-assistant:latest .');
    expect(r.stdout).toContain('# task doctor');
    expect(snapshot(dir)).toEqual(before);
    // An npm repo gets npm's command.
    writeFileSync(path.join(dir, 'package-lock.json'), '{}\n');
    expect(runCli(['init', '--dry-run'], { cwd: dir }).stdout).toContain('\nnpm install --save-dev @promtior/tasks\n');
  });

  it('writes the config, the script, .gitignore and the shims; a second run changes nothing', () => {
    const dir = oldRepo();
    writeFileSync(path.join(dir, 'package.json'), '{\n  "name": "shop",\n  "devDependencies": { "@promtior/tasks": "^0.1.0", "@team/tasks": "^0.1.0" }\n}\n');
    writeFileSync(path.join(dir, '.gitignore'), '__pycache__/\n.env\n');
    installPreset(dir, { version: '0.1.0', tasks: { 'team-hello.js': presetTask('team-hello', 'Hello', 'hello') } });
    const first = runCli(['init', '--preset', '@team/tasks', '--no-doctor'], { cwd: dir });
    expect(first.code, first.all).toBe(0);
    expect(first.all).toContain('created tasks.config.ts: extends @team/tasks');
    expect(first.all).toContain('configuration loads; presets: @team/tasks@0.1.0');
    expect(readFileSync(path.join(dir, 'tasks.config.ts'), 'utf8')).toContain("extends: ['@team/tasks']");
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts).toEqual({ task: 'task' });
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(
      '__pycache__/\n.env\n\n# promtior-tasks: installed packages and secrets stay out of git\nnode_modules/\n.env.*\n!.env.example\n',
    );
    // pnpm holds back versions younger than a day: the team's own scopes are exempt, so an upgrade arrives at once.
    expect(readFileSync(path.join(dir, 'pnpm-workspace.yaml'), 'utf8')).toMatch(/minimumReleaseAgeExclude:\n {2}- '@promtior\/\*'\n {2}- '@team\/\*'\n/);
    const makefile = readFileSync(path.join(dir, 'Makefile'), 'utf8');
    expect(makefile).toContain('test:\n\tpytest -q\n');
    expect(makefile).toContain('docker-clean:\n\tpnpm task docker-clean\n');
    expect(runCli(['--list'], { cwd: dir }).stdout).toMatch(/team-hello +Hello +\[@team\/tasks@0\.1\.0\]/);

    const after = snapshot(dir);
    const second = runCli(['init', '--preset', '@team/tasks', '--no-doctor'], { cwd: dir });
    expect(second.code, second.all).toBe(0);
    expect(snapshot(dir)).toEqual(after);
    const dry = runCli(['init', '--preset', '@team/tasks', '--dry-run'], { cwd: dir });
    expect(dry.stdout).toContain(
      '# nothing to change: the dependencies, tasks.config, the task script, .gitignore, the Makefile shims (and pnpm settings) are there',
    );
    expect(dry.stdout).not.toMatch(/^(pnpm|npm) /m);
  });

  it('leaves a repo’s own tasks.config.ts as it is', () => {
    const dir = oldRepo();
    writeFileSync(path.join(dir, 'tasks.config.ts'), "export default { image: 'mine:1' };\n");
    writeFileSync(path.join(dir, 'package.json'), '{ "devDependencies": { "@promtior/tasks": "^0.1.0" } }\n');
    const r = runCli(['init', '--no-doctor'], { cwd: dir });
    expect(r.code, r.all).toBe(0);
    expect(readFileSync(path.join(dir, 'tasks.config.ts'), 'utf8')).toBe("export default { image: 'mine:1' };\n");
    expect(existsSync(path.join(dir, '.gitignore'))).toBe(true);
  });

  it('a package.json that is not JSON, or a .gitignore that is a folder: an error naming it, nothing written', () => {
    // One file of each kind through the CLI; the other variants (package.json that is not an object, a Makefile or
    // package.json that is a folder) come from the same plan: packages/tasks/src/builtins/init.test.ts.
    const cases: [string, (dir: string) => void, RegExp][] = [
      [
        'package.json',
        (d) => writeFileSync(path.join(d, 'package.json'), '{\n  "a": 1,\n  bad\n}\n'),
        /^error: package\.json:3:3: not valid JSON .* Fix package\.json/m,
      ],
      [
        '.gitignore',
        (d) => mkdirSync(path.join(d, '.gitignore')),
        /^error: \S+\/\.gitignore is a folder, so init cannot read or update it\. Move or rename it/m,
      ],
    ];
    for (const [file, spoil, says] of cases) {
      const dir = oldRepo();
      rmSync(path.join(dir, file), { recursive: true, force: true });
      spoil(dir);
      const before = snapshot(dir);
      for (const args of [
        ['init', '--dry-run'],
        ['init', '--no-doctor'],
      ]) {
        const r = runCli(args, { cwd: dir });
        expect(r.code, r.all).toBe(1);
        expect(r.stderr).toMatch(says);
        expect(r.all).not.toMatch(/internal error|a bug in promtior-tasks/);
      }
      expect(snapshot(dir)).toEqual(before);
    }
  });
});
