import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompletionData } from '../registry/manifest-types.ts';
import { completeWords, completionDir } from './complete-words.cjs';

const DATA: CompletionData = {
  tasks: ['backup', 'docker-build', 'restore'],
  globals: ['--dir', '--dry-run', '--list', '--output'],
  globalValues: { '-C': 'free', '--dir': 'free', '--output': ['tty', 'plain', 'json'] },
  flags: {
    'docker-build': [{ flag: '--target', values: ['production', 'base'] }, { flag: '--push' }, { flag: '--no-push' }],
    restore: [{ flag: '--id', values: 'backup-id' }],
    backup: [],
  },
  positional: { restore: 'backup-id' },
};

describe('completion candidates', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'complete-'));
  mkdirSync(path.join(cwd, '.backups', '20260101T000000Z'), { recursive: true });
  writeFileSync(path.join(cwd, '.backups', '20260101T000000Z', 'manifest.json'), '{}');
  const c = (...words: string[]) => completeWords(words, DATA, cwd);

  it('offers task names, then flags, then values', () => {
    expect(c('d')).toEqual(['docker-build']);
    expect(c('--d')).toEqual(['--dir', '--dry-run']);
    expect(c('--output', 'json', 'dock')).toEqual(['docker-build']);
    expect(c('docker-build', '--')).toEqual(['--target', '--push', '--no-push', '--dir', '--dry-run', '--list', '--output']);
    expect(c('docker-build', '--target', '')).toEqual(['production', 'base']);
    expect(c('docker-build', '--push', '--t')).toEqual(['--target']);
    expect(c('restore', '2026')).toEqual(['20260101T000000Z']);
    expect(c('restore', '--id', '')).toEqual(['20260101T000000Z']);
    expect(c('nosuch', '--')).toEqual([]);
    expect(c('-C', '')).toEqual([]);
  });

  it('completes for the folder named by -C', () => {
    expect(completionDir(['-C', 'sub', ''], '/r')).toBe('/r/sub');
    expect(completionDir(['-C', 'su'], '/r')).toBe('/r');
  });
});
