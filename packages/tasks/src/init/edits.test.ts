import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  configText,
  GITIGNORE_ENTRIES,
  missingPackages,
  packageManager,
  scopePattern,
  withGitignore,
  withMakefileShims,
  withReleaseAgeExclude,
  withTaskScript,
} from './edits.ts';

describe('init edits', () => {
  it('package.json gets a task script, keeping its indentation and every other key', () => {
    expect(withTaskScript(undefined)).toBe('{\n  "scripts": {\n    "task": "task"\n  }\n}\n');
    const tabbed = '{\n\t"name": "x",\n\t"scripts": {\n\t\t"test": "vitest"\n\t}\n}\n';
    expect(JSON.parse(withTaskScript(tabbed))).toEqual({ name: 'x', scripts: { test: 'vitest', task: 'task' } });
    expect(withTaskScript(tabbed)).toContain('\n\t"name"');
    const own = '{ "scripts": { "task": "./task" } }';
    expect(withTaskScript(own)).toBe(own);
  });

  it('.gitignore gets the entries it lacks, however they are spelled', () => {
    expect(withGitignore(undefined)).toBe(`# promtior-tasks: installed packages and secrets stay out of git\n${GITIGNORE_ENTRIES.join('\n')}\n`);
    expect(withGitignore('/node_modules\n.env\n.env.*\n!.env.example\n')).toBe('/node_modules\n.env\n.env.*\n!.env.example\n');
    expect(withGitignore('dist')).toBe(
      'dist\n\n# promtior-tasks: installed packages and secrets stay out of git\nnode_modules/\n.env\n.env.*\n!.env.example\n',
    );
  });

  it('a new Makefile holds only the shims; an old one keeps its other targets', () => {
    expect(withMakefileShims(undefined)).toMatch(
      /^# Docker targets: .*\n\.PHONY: docker-build docker-run docker-dev docker-clean\ndocker-build:\n\tpnpm task docker-build\n/,
    );
    const old = withMakefileShims('test:\n\tpytest -q\n\ndocker-build:\n\tdocker build -t x .\n');
    expect(old).toContain('test:\n\tpytest -q\n');
    expect(old).toContain('docker-build:\n\tpnpm task docker-build\n');
    expect(old).not.toContain('docker build -t x');
  });

  it('the config extends the preset, or sets nothing', () => {
    expect(configText('@team/tasks')).toContain("  extends: ['@team/tasks'],\n");
    expect(configText(undefined)).toContain('export default defineConfig({\n});\n');
  });

  it('adds only the packages package.json lacks, with the lockfile’s package manager', () => {
    expect(missingPackages(undefined, '@team/tasks')).toEqual(['@team/tasks', '@promtior/tasks']);
    expect(missingPackages('{"devDependencies":{"@promtior/tasks":"^0.1.0"}}', '@team/tasks')).toEqual(['@team/tasks']);
    expect(missingPackages('{"dependencies":{"@promtior/tasks":"^0.1.0"}}', undefined)).toEqual([]);
    expect(packageManager(['package-lock.json']).add).toEqual(['npm', 'install', '--save-dev']);
    expect(packageManager(['yarn.lock']).name).toBe('yarn');
    expect(packageManager([]).add).toEqual(['pnpm', 'add', '--save-dev']);
  });

  // A second init changes nothing: every edit applied to its own result gives the same text, whatever the file held.
  it('property: each edit is idempotent', () => {
    const lines = fc.array(
      fc.oneof(
        fc.constantFrom('node_modules', '/.env', '.env.*', 'docker-build:', '\tdocker build .', '', 'test:', '\tpytest', 'docker-run: build', '#x'),
        fc.string(),
      ),
      { maxLength: 12 },
    );
    const text = fc.option(
      lines.map((l) => l.join('\n')),
      { nil: undefined },
    );
    fc.assert(
      fc.property(text, (t) => {
        for (const edit of [withGitignore, withMakefileShims]) {
          const once = edit(t);
          expect(edit(once)).toBe(once);
        }
      }),
    );
    const pkg = fc.record({ name: fc.string(), scripts: fc.option(fc.dictionary(fc.string(), fc.string()), { nil: undefined }) });
    fc.assert(
      fc.property(pkg, (p) => {
        const once = withTaskScript(JSON.stringify(p, null, 2));
        expect(withTaskScript(once)).toBe(once);
      }),
    );
  });
});

describe('pnpm-workspace.yaml: the team’s scopes skip minimumReleaseAge', () => {
  const edit = withReleaseAgeExclude(['@promtior/*', '@team/*']);
  it('adds the key, or the patterns a block list lacks, and leaves a flow list alone', () => {
    expect(edit(undefined)).toBe(
      "# The team's own releases install at once (pnpm holds back versions younger than minimumReleaseAge).\nminimumReleaseAgeExclude:\n  - '@promtior/*'\n  - '@team/*'\n",
    );
    expect(edit('packages:\n  - \'x\'\nminimumReleaseAgeExclude:\n  - "@team/*"\n')).toBe(
      "packages:\n  - 'x'\nminimumReleaseAgeExclude:\n  - '@promtior/*'\n  - \"@team/*\"\n",
    );
    expect(edit("minimumReleaseAgeExclude: ['@other/*']\n")).toBe("minimumReleaseAgeExclude: ['@other/*']\n");
    expect(scopePattern('@team/tasks')).toBe('@team/*');
    expect(scopePattern('team-tasks')).toBe('team-tasks');
  });

  it('property: idempotent', () => {
    const lines = fc.array(fc.oneof(fc.constantFrom('minimumReleaseAgeExclude:', "  - '@team/*'", '  - x', 'packages:', ''), fc.string()), { maxLength: 8 });
    fc.assert(
      fc.property(
        fc.option(
          lines.map((l) => l.join('\n')),
          { nil: undefined },
        ),
        (t) => {
          const once = edit(t);
          expect(edit(once)).toBe(once);
        },
      ),
    );
  });
});
