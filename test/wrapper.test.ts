/**
 * The ./task wrapper (issue 14): once set up, a run is builtins only (no `node --version`, no checksum, no pnpm),
 * and it still notices a changed lockfile or package.json, and a Node that is gone. Run against stand-ins for
 * node, pnpm and cksum that log their calls, in a copy of the wrapper, so nothing is installed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { age } from './helpers/cache.ts';
import { ROOT } from './helpers/cli.ts';

function fakeRepo() {
  const dir = mkdtempSync(path.join(tmpdir(), 'wrapper-'));
  const bin = path.join(dir, 'stand-ins');
  const log = path.join(dir, 'calls.log');
  for (const f of ['pnpm-lock.yaml', 'package.json', 'pnpm-workspace.yaml', 'packages/tasks/package.json', 'packages/tasks/bin/task.js']) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), `${f}\n`);
  }
  mkdirSync(path.join(dir, 'node_modules'));
  copyFileSync(path.join(ROOT, 'task'), path.join(dir, 'task'));
  mkdirSync(bin);
  const stand = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >>"${log}"\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  stand('node', 'if [ "$1" = --version ]; then echo v24.1.0; else echo "ran $*"; fi');
  stand('pnpm', 'if [ "$1" = --version ]; then echo 12.4.2; fi');
  stand('cksum', 'exec /usr/bin/cksum "$@"');
  age(dir, 30);
  const run = (...args: string[]) => {
    rmSync(log, { force: true });
    const r = spawnSync('sh', [path.join(dir, 'task'), ...args], { cwd: dir, env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
    return { ...r, calls: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
  };
  return { dir, bin, run };
}

describe('./task', () => {
  it('checks once, then runs with builtins only until the lockfile, a package.json or the Node changes', () => {
    const { dir, bin, run } = fakeRepo();
    const first = run('--list');
    expect(first.status).toBe(0);
    expect(first.calls).toContain('node --version');
    expect(first.calls.some((c) => c.startsWith('pnpm install'))).toBe(true);
    expect(first.stdout).toContain(`ran ${dir}/packages/tasks/bin/task.js -- --list`);
    expect(readFileSync(path.join(dir, 'node_modules', '.task-ready'), 'utf8').trim()).toBe(path.join(bin, 'node'));

    const steady = run('--list');
    expect(steady.stdout).toContain(`ran ${dir}/packages/tasks/bin/task.js -- --list`);
    expect(steady.calls).toEqual([`node ${dir}/packages/tasks/bin/task.js -- --list`]);

    writeFileSync(path.join(dir, 'pnpm-lock.yaml'), 'changed\n');
    const changed = run('--list');
    expect(changed.calls).toContain('node --version');
    expect(changed.calls).toContain('cksum ');
    expect(changed.calls.some((c) => c.startsWith('pnpm install'))).toBe(true);
    expect(run('--list').calls).toHaveLength(1);

    writeFileSync(path.join(dir, 'packages', 'tasks', 'package.json'), '{}\n');
    expect(run('--list').calls).toContain('node --version');

    writeFileSync(path.join(dir, 'node_modules', '.task-ready'), '/gone/node\n');
    const gone = run('--list');
    expect(gone.calls).toContain('node --version');
    expect(gone.stdout).toContain('ran ');
  });
});
