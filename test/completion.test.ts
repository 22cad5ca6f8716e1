import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './helpers/cli.ts';

/** Completes `words` in a real bash with the script `task completion bash` prints, as a user's shell would. */
function bashComplete(words: string[], cwd = ROOT): string[] {
  const bin = mkdtempSync(path.join(tmpdir(), 'completion-'));
  writeFileSync(path.join(bin, 'task'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" -- "$@"\n`);
  chmodSync(path.join(bin, 'task'), 0o755);
  const script = runCli(['completion', 'bash']).stdout;
  const words2 = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(task ${words2}); COMP_CWORD=${words.length}; _promtior_task; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    cwd,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    encoding: 'utf8',
  });
  return r.stdout.split('\n').filter(Boolean);
}

describe('shell completion', () => {
  it('completes task names, flags and enum values in bash', () => {
    expect(bashComplete(['dock'])).toEqual(['docker-build', 'docker-clean', 'docker-dev', 'docker-offline-images', 'docker-run']);
    expect(bashComplete(['docker-build', '--ta'])).toEqual(['--target', '--tag']);
    expect(bashComplete(['docker-build', '--target', ''])).toEqual(['production', 'development', 'dependencies', 'base']);
    expect(bashComplete(['--output', 'pl'])).toEqual(['plain']);
    expect(bashComplete(['migrate', '--no-f'])).toEqual(['--no-force']);
  });

  it('completes backup ids for restore', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'completion-repo-'));
    for (const id of ['20261127T010000Z', '20261127T020000Z']) {
      mkdirSync(path.join(dir, '.backups', id), { recursive: true });
      writeFileSync(path.join(dir, '.backups', id, 'manifest.json'), '{}');
    }
    mkdirSync(path.join(dir, '.backups', '20261127T030000Z'));
    expect(bashComplete(['restore', '2026'], dir)).toEqual(['20261127T010000Z', '20261127T020000Z']);
  });

  it('prints scripts for zsh and fish that call the same completer', () => {
    for (const shell of ['zsh', 'fish']) {
      const r = runCli(['completion', shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('__complete --');
    }
    expect(runCli(['completion', 'tcsh']).code).toBe(2);
  });
});
