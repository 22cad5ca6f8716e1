import { chmodSync, existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { newTempEntries, RUN_PREFIX, removeTree } from './helpers/temp-folder.ts';

test('the run points TMPDIR at a folder of its own, which its workers inherit', () => {
  expect(path.basename(tmpdir())).toMatch(new RegExp(`^${RUN_PREFIX}`));
});

test('a leftover is what appeared during the run with the shape of a test or task temp folder', () => {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'machine-')));
  for (const n of ['old-abc123', 'keep']) mkdirSync(path.join(dir, n));
  const before = new Set(['old-abc123', 'keep']);
  for (const n of ['task-e2e-Zx9Q1a', 'golden-data-aB3dE5', 'promtior-push-0123456789ab', 'systemd-private', `${RUN_PREFIX}qqqqqq`, 'run']) {
    mkdirSync(path.join(dir, n));
  }
  expect(newTempEntries(dir, before, path.join(dir, 'run'))).toEqual(['golden-data-aB3dE5', 'promtior-push-0123456789ab', 'task-e2e-Zx9Q1a']);
  removeTree(dir);
});

test('removeTree removes a folder a test locked (mode 000 inside)', () => {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'locked-')));
  mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
  writeFileSync(path.join(dir, 'a', 'b', 'f'), 'x');
  chmodSync(path.join(dir, 'a', 'b'), 0o000);
  chmodSync(path.join(dir, 'a'), 0o000);
  removeTree(dir);
  expect(existsSync(dir)).toBe(false);
});
