/** Issue 9, item 13 (env part): env files that exist but cannot be read give one clear error, never a stack. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, GOOD_KEY, runCli, tempRepo } from '../helpers/cli.ts';

function expectClearError(r: { code: number | null; all: string }, ...parts: string[]): void {
  expect(r.code).toBe(1);
  expect(r.all).not.toContain('internal error');
  expect(r.all).not.toMatch(/\n\s+at /);
  for (const p of parts) expect(r.all).toContain(p);
}

describe('hostile .env: files that cannot be read', () => {
  it('a directory named .env', () => {
    const dir = tempRepo();
    mkdirSync(path.join(dir, '.env'));
    expectClearError(runCli(['env-check'], { cwd: dir }), 'error: .env', 'is a directory, not an env file. Fix: rename or remove the directory named .env');
  });

  it('--env-file naming a directory, a missing file, a dangling link', () => {
    const dir = tempRepo({ 'conf/.keep': '' });
    symlinkSync(path.join(dir, 'gone.env'), path.join(dir, 'link.env'));
    expectClearError(
      runCli(['env-check', '--env-file', 'conf'], { cwd: dir }),
      // The CLI resolves --env-file against the folder it was typed in, so the message names the absolute path.
      `is a directory, not an env file. Fix: pass the path of the env file itself, e.g. --env-file ${path.join(dir, 'conf', '.env')}`,
    );
    expectClearError(runCli(['env-check', '--env-file', 'nope.env'], { cwd: dir }), `env file not found: ${path.join(dir, 'nope.env')}`);
    expectClearError(runCli(['env-check', '--env-file', 'link.env'], { cwd: dir }), 'is a symbolic link to', 'which does not exist');
  });

  it('an unreadable .env, read by a user without permission (root reads anything, so the CLI runs without that power)', () => {
    const dir = tempRepo({ '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n` });
    chmodSync(path.join(dir, '.env'), 0o000);
    // Root keeps its uid (so the checkout, wherever it is, stays readable) but loses the capabilities that let it
    // read a file whose mode says no: for this file it is then a user without permission.
    const asRoot = process.getuid?.() === 0;
    const drop = ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-dac_override,-dac_read_search', '--'];
    const argv = [...(asRoot ? drop : []), process.execPath, BIN, '--', 'env-check'];
    const r = spawnSync(argv[0] as string, argv.slice(1), { cwd: dir, env: cliEnv({ HOME: dir }), encoding: 'utf8' });
    expectClearError(
      { code: r.status, all: `${r.stdout}\n${r.stderr}` },
      'cannot read .env',
      'permission denied for the user running the task. Fix: make it readable',
    );
  });

  it('binary content: one clear error at the first NUL byte', () => {
    const dir = tempRepo();
    writeFileSync(path.join(dir, 'data.env'), Buffer.concat([Buffer.from('A=1\nB=2\n'), Buffer.alloc(1_000_000, 0)]));
    const r = runCli(['env-check', '--env-file', 'data.env'], { cwd: dir });
    expectClearError(r, 'is not a text file: it has a NUL byte on line 3 (byte 9)');
    expect(r.all.length).toBeLessThan(2000);
  });
});
