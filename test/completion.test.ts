import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { age, cacheHome, shellCacheFile } from './helpers/cache.ts';
import { BIN, ROOT, runCli, tempRepo } from './helpers/cli.ts';

type Shell = 'bash' | 'zsh' | 'fish';
const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;
const SCRIPTS = Object.fromEntries((['bash', 'zsh', 'fish'] as const).map((s) => [s, runCli(['completion', s]).stdout])) as Record<Shell, string>;

/** A `task` command on PATH that counts its starts, then runs the real CLI: "no Node start" is counted, not timed. */
function countingCli(env: Record<string, string | undefined> = {}) {
  const bin = mkdtempSync(path.join(tmpdir(), 'completion-bin-'));
  const calls = path.join(bin, 'calls');
  writeFileSync(path.join(bin, 'task'), `#!/bin/sh\necho "$*" >>"${calls}"\nexec "${process.execPath}" "${BIN}" -- "$@"\n`);
  chmodSync(path.join(bin, 'task'), 0o755);
  return {
    env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}` },
    calls: () => (existsSync(calls) ? readFileSync(calls, 'utf8').split('\n').filter(Boolean).length : 0),
  };
}

/**
 * zsh's compinit scans every completion function on the system and writes what it found to a dump file: ~0.4 s a
 * start with none (-D), ~0.03 s from a dump. One dump for the file (in the run's temp folder), made by the first TAB.
 */
const ZCOMPDUMP = path.join(mkdtempSync(path.join(tmpdir(), 'zcompdump-')), 'zcompdump');

/** Completes `words` (the last one is being typed) with the real script, as the shell would on TAB. */
function complete(shell: Shell, words: string[], cwd: string, env: NodeJS.ProcessEnv): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const run = (args: string[]) => spawnSync(shell, args, { cwd, env, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  if (shell === 'bash') {
    return run(['-c', `${SCRIPTS.bash}\nCOMP_WORDS=(task ${quoted}); COMP_CWORD=${words.length}; _promtior_task; printf '%s\\n' "\${COMPREPLY[@]}"`]);
  }
  if (shell === 'fish') return run(['-c', `${SCRIPTS.fish}\ncomplete -C "task ${words.join(' ')}"`]).map((l) => l.split('\t')[0] as string);
  // zsh's compadd works only inside a real completion widget: run the script's cache reader, and the CLI as the
  // script's fallback does when the reader says so.
  return run([
    '-c',
    `autoload -Uz compinit && compinit -u -d '${ZCOMPDUMP}'\n${SCRIPTS.zsh}\nwords=(task ${quoted}); CURRENT=${words.length + 1}\n_promtior_task_cached; rc=$?\nif (( rc == 1 )); then task __complete -- ${quoted}; else print -l -- $_promtior_task_out; fi`,
  ]);
}

const TASK = (name: string, flags = '') =>
  `import { defineTask, cmd, z } from '@promtior/tasks';\nexport const t = defineTask({ name: '${name}', description: '${name}', options: z.object({${flags}}), run: (_o, ctx) => [cmd(['true'], { cwd: ctx.cwd })] });\n`;

describe('shell completion', () => {
  it('completes task names, flags and enum values in bash', () => {
    const { env } = countingCli();
    const bash = (words: string[]) => complete('bash', words, ROOT, env);
    expect(bash(['dock'])).toEqual([
      'docker-build',
      'docker-clean',
      'docker-dev',
      'docker-offline-images',
      'docker-push',
      'docker-run',
      'docker-sbom',
      'docker-scan',
    ]);
    expect(bash(['docker-build', '--ta'])).toEqual(['--target', '--tag']);
    expect(bash(['docker-build', '--target', ''])).toEqual(['production', 'runtime-minimal', 'development', 'dependencies', 'base']);
    expect(bash(['--output', 'pl'])).toEqual(['plain']);
    expect(bash(['migrate', '--no-b'])).toEqual(['--no-build']);
    expect(bash(['migrate', '--force', '--no-b'])).toEqual(['--no-build']);
  });

  it('completes backup ids for restore (through the CLI, which reads .backups/)', () => {
    const dir = tempRepo();
    for (const id of ['20261127T010000Z', '20261127T020000Z']) {
      mkdirSync(path.join(dir, '.backups', id), { recursive: true });
      writeFileSync(path.join(dir, '.backups', id, 'manifest.json'), '{}');
    }
    mkdirSync(path.join(dir, '.backups', '20261127T030000Z'));
    const { env } = countingCli();
    expect(complete('bash', ['restore', '2026'], dir, env)).toEqual(['20261127T010000Z', '20261127T020000Z']);
    expect(complete('bash', ['restore', '--id', '2026'], dir, env)).toEqual(['20261127T010000Z', '20261127T020000Z']);
  });

  it('prints the scripts, and rejects a shell it has none for', () => {
    for (const shell of ['bash', 'zsh', 'fish'] as const) expect(SCRIPTS[shell]).toContain('__complete --');
    expect(runCli(['completion', 'tcsh']).code).toBe(2);
  });

  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    it.skipIf(!has(shell))(`${shell}: names and flags come from the cache with no Node start; a change makes it stale, never wrong`, () => {
      const dir = tempRepo({
        'tasks/alpha.ts': TASK('alpha', "loud: z.boolean().default(false), level: z.enum(['low', 'high']).default('low')"),
        'tasks/beta.ts': TASK('beta'),
      });
      age(dir, 60);
      const { env: xdg, root } = cacheHome();
      const { env, calls } = countingCli(xdg);
      const tab = (...words: string[]) => complete(shell, words, dir, env);
      expect(runCli(['--list'], { cwd: dir, env: xdg }).code).toBe(0);
      expect(existsSync(shellCacheFile(root, dir))).toBe(true);

      expect(tab('al')).toEqual(['alpha']);
      expect(tab('be')).toEqual(['beta']);
      expect(tab('alpha', '--l')).toEqual(['--loud', '--level', '--list']);
      expect(tab('alpha', '--level', '')).toEqual(['low', 'high']);
      expect(tab('--output', 'j')).toEqual(['json']);
      expect(calls()).toBe(0);

      // A task file removed and one added: the cache is stale, so the CLI answers, right.
      rmSync(path.join(dir, 'tasks', 'beta.ts'));
      writeFileSync(path.join(dir, 'tasks', 'gamma.ts'), TASK('gamma'));
      expect(tab('be')).toEqual([]);
      expect(tab('ga')).toEqual(['gamma']);
      expect(calls()).toBeGreaterThan(0);

      // Time passes; any run of the CLI refreshes the cache, and the shell uses it again.
      age(dir, 30);
      expect(runCli(['--list'], { cwd: dir, env: xdg }).code).toBe(0);
      const before = calls();
      expect(tab('ga')).toEqual(['gamma']);
      expect(tab('be')).toEqual([]);
      expect(calls()).toBe(before);

      // A task file edited in place (the folder does not change) and a new tasks.config.ts: stale again.
      writeFileSync(path.join(dir, 'tasks', 'alpha.ts'), TASK('alpha', 'quiet: z.boolean().default(false)'));
      expect(tab('alpha', '--l')).toEqual(['--list']);
      writeFileSync(path.join(dir, 'tasks.config.ts'), "export default { disable: ['docker-dev'] };\n");
      expect(tab('docker-d')).toEqual([]);
      expect(calls()).toBeGreaterThan(before);
    });
  }
});
