/**
 * init refuses a repo file it cannot use while planning, before it installs or writes anything: the variants of
 * test/init.test.ts's last case, checked on the plan without two CLI starts each. The e2e keeps one file of each kind
 * (package.json that is not JSON, a .gitignore that is a folder) through the CLI, with --dry-run and without.
 */
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planOf } from '../run/plan-of.ts';
import { init } from './init.ts';

describe('init: a repo file it cannot use', () => {
  const cases: [string, (dir: string) => void, RegExp][] = [
    [
      'package.json that is not JSON',
      (d) => writeFileSync(path.join(d, 'package.json'), '{\n  "a": 1,\n  bad\n}\n'),
      /^package\.json:3:3: not valid JSON .* Fix package\.json/,
    ],
    ['package.json that is not an object', (d) => writeFileSync(path.join(d, 'package.json'), '[]\n'), /^package\.json: the top level is not an object/],
    ['package.json that is null', (d) => writeFileSync(path.join(d, 'package.json'), 'null\n'), /^package\.json: the top level is not an object/],
    [
      '.gitignore that is a folder',
      (d) => mkdirSync(path.join(d, '.gitignore')),
      /\/\.gitignore is a folder, so init cannot read or update it\. Move or rename it/,
    ],
    ['Makefile that is a folder', (d) => mkdirSync(path.join(d, 'Makefile')), /\/Makefile is a folder, so init cannot read or update it\. Move or rename it/],
    ['package.json that is a folder', (d) => mkdirSync(path.join(d, 'package.json')), /\/package\.json is a folder, so init cannot read or update it/],
  ];
  for (const [what, spoil, says] of cases) {
    it(`a ${what}: an error naming it, from the plan (nothing runs)`, async () => {
      const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'init-unit-')));
      spoil(dir);
      const before = readdirSync(dir);
      for (const doctor of [true, false]) await expect(planOf(init, { doctor }, { cwd: dir })).rejects.toThrow(says);
      expect(readdirSync(dir)).toEqual(before);
    });
  }
});
