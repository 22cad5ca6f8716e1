/**
 * Issue 9, item 4: the task cache must not be able to run someone else's code. It lives in a per-user folder
 * (mode 0700, owned by the user), a planted or loosened folder or file is thrown away and rebuilt, and a module is
 * imported only from a task folder, whatever a cache says.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { age, cacheHome, manifestFile, shellCacheFile } from '../helpers/cache.ts';
import { BIN, runCliAsync, tempRepo } from '../helpers/cli.ts';

const HELLO = `import { defineTask, cmd } from '@promtior/tasks';\nimport { z } from 'zod';\nexport const hello = defineTask({ name: 'hello', description: 'says hi', options: z.object({}), run: (_o, ctx) => [cmd(['echo', 'hi from tasks'], { cwd: ctx.cwd })] });\n`;

/**
 * A repo with one task, cached once, and a module that leaves a mark if it is ever imported. `ownCompileCache`: the
 * CLI keeps Node's compile cache in the cache folder (as for a user), for the tests where that folder is the target.
 */
async function cachedRepo(ownCompileCache = false) {
  const dir = tempRepo({ 'tasks/hello.ts': HELLO });
  age(dir, 60);
  const { env, root } = cacheHome({ ownCompileCache });
  expect((await runCliAsync(['--list'], { cwd: dir, env })).code).toBe(0);
  const manifest = manifestFile(root, dir);
  expect(existsSync(manifest)).toBe(true);
  const evilDir = mkdtempSync(path.join(tmpdir(), 'evil-'));
  const mark = path.join(evilDir, 'ran');
  const evil = path.join(evilDir, 'hello.ts');
  writeFileSync(evil, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(mark)}, 'ran');\nexport const hello = {};\n`);
  // What another user would plant: the real manifest (its stamps still match), pointing `hello` at their module.
  const plant = () => {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { tasks: { name: string; file: string }[] };
    for (const t of m.tasks) if (t.name === 'hello') t.file = evil;
    writeFileSync(manifest, JSON.stringify(m));
  };
  return { dir, env, root, manifest, mark, evil, plant };
}

const mode = (p: string) => statSync(p).mode & 0o777;

// Each case has its own repo and cache folder: side by side, so their CLI starts overlap.
describe.concurrent('the task cache (issue 9, item 4)', () => {
  it('lives in the per-user cache folder, mode 0700, with Node compile cache inside it', async () => {
    const { root, manifest } = await cachedRepo(true);
    expect(mode(root)).toBe(0o700);
    expect(mode(manifest)).toBe(0o600);
    expect(statSync(manifest).uid).toBe(process.getuid?.());
    expect(mode(path.join(root, 'compile'))).toBe(0o700);
  });

  it('never imports a module a cache names outside the task folders, and rebuilds that cache', async () => {
    const { dir, env, manifest, mark, evil, plant } = await cachedRepo();
    plant();
    const r = await runCliAsync(['hello'], { cwd: dir, env });
    expect(r.all).toContain('hi from tasks');
    expect(r.code).toBe(0);
    expect(existsSync(mark)).toBe(false);
    expect(readFileSync(manifest, 'utf8')).not.toContain(evil);
  });

  it('throws away a cache folder that others can write to', async () => {
    const { dir, env, root, manifest, mark, plant } = await cachedRepo(true);
    plant();
    chmodSync(root, 0o777);
    chmodSync(manifest, 0o666);
    expect((await runCliAsync(['hello'], { cwd: dir, env })).code).toBe(0);
    expect(existsSync(mark)).toBe(false);
    expect(mode(root)).toBe(0o700);
  });

  it('throws away a cache folder or file that belongs to another user', async () => {
    const { dir, env, root, manifest, mark, plant } = await cachedRepo(true);
    plant();
    chownSync(manifest, 65534, 65534);
    const list = await runCliAsync(['--list'], { cwd: dir, env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/hello +says hi/);
    expect(statSync(manifest).uid).toBe(process.getuid?.());
    plant();
    chownSync(manifest, 65534, 65534);
    chownSync(root, 65534, 65534);
    expect((await runCliAsync(['hello'], { cwd: dir, env })).code).toBe(0);
    expect(existsSync(mark)).toBe(false);
    expect(statSync(root).uid).toBe(process.getuid?.());
  });

  it('shell completion offers what a cache file says but never runs it', async () => {
    const { dir, root } = await cachedRepo();
    const mark = path.join(mkdtempSync(path.join(tmpdir(), 'evil-')), 'ran');
    const file = shellCacheFile(root, dir);
    writeFileSync(file, `promtior-tasks completion 1\nt\t$(touch ${mark})\nt\t\`touch ${mark}\`\nc\t-\t--output\t$(touch ${mark})\n`);
    const script = (await runCliAsync(['completion', 'bash'])).stdout;
    const complete = (words: string) =>
      spawnSync(
        'bash',
        [
          '-c',
          `${script}\nCOMP_WORDS=(task ${words}); COMP_CWORD=\${#COMP_WORDS[@]}; COMP_WORDS+=(''); _promtior_task_cached; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        {
          cwd: dir,
          env: { ...process.env, XDG_CACHE_HOME: path.dirname(root), PATH: `/nonexistent:${process.env.PATH}`, BIN },
          encoding: 'utf8',
        },
      ).stdout;
    expect(complete('')).toContain(`$(touch ${mark})`);
    expect(complete('--output')).toContain(`$(touch ${mark})`);
    expect(existsSync(mark)).toBe(false);
  });
});
