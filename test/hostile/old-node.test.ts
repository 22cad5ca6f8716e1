/**
 * Issue 9, item 11: after ./task has put Node 24 into .tools/, running the CLI with the machine's own older Node
 * (directly, or as `pnpm task`) works, or says exactly what to do; it never crashes on our TypeScript.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.ts';

/** The machine's own Node, older than the CLI needs (this machine has Node 20 in /usr/bin). */
const OLD = ['/usr/bin/node', '/usr/local/bin/node', '/bin/node'].find((p) => {
  if (!existsSync(p)) return false;
  const [major, minor] = execFileSync(p, ['-p', 'process.versions.node'], { encoding: 'utf8' }).split('.').map(Number);
  return (major as number) < 22 || (major === 22 && (minor as number) < 18);
});

describe.skipIf(!OLD)(`the CLI on an older Node (${OLD}) (issue 9, item 11)`, () => {
  const old = OLD as string;

  it('hands over to the Node that ./task installed into .tools/', () => {
    const r = spawnSync(old, [BIN, '--', 'env-check', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('env-check: Validate');
  });

  it('without a .tools/ Node, says which Node it is, what it needs and what to do', () => {
    // A copy of the bin alone: the version check comes before anything else is loaded.
    const bin = path.join(mkdtempSync(path.join(tmpdir(), 'old-node-')), 'bin');
    mkdirSync(bin);
    for (const f of ['task.js', 'package.json']) copyFileSync(path.join(ROOT, 'packages', 'tasks', 'bin', f), path.join(bin, f));
    const r = spawnSync(old, [path.join(bin, 'task.js'), '--', '--list'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error: this is Node v`);
    expect(r.stderr).toContain('promtior-tasks needs Node 22.18 or newer');
    expect(r.stderr).toContain('install Node 24');
    expect(r.stderr).not.toMatch(/ERR_| {4}at /);
  });

  it('`pnpm task` runs the ./task wrapper, which uses its own Node whatever node is first on PATH', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.task).toBe('./task');
    const r = spawnSync('sh', [path.join(ROOT, 'task'), '--version'], {
      cwd: ROOT,
      env: { ...process.env, PATH: `${path.dirname(old)}:/usr/bin:/bin` },
      encoding: 'utf8',
    });
    expect(r.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
