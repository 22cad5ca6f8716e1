import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCliAsync, startCli, tempRepo } from './helpers/cli.ts';

const TASKS = `import { defineTask, cmd, action, call, runIfMain } from '@promtior/tasks';
import { z } from 'zod';
const sh = (script: string, cwd: string, extra = {}) => cmd(['sh', '-c', script], { cwd, ...extra });
export const fail = defineTask({ name: 'fail', description: 'exits 3', options: z.object({}), run: (_o, c) => [sh('echo about to fail; exit 3', c.cwd), sh('echo cleanup ran > cleanup.txt', c.cwd, { always: true })] });
export const slow = defineTask({ name: 'slow', description: 'times out', options: z.object({}), run: (_o, c) => [sh('sleep 30', c.cwd, { timeoutMs: 500 })] });
export const tree = defineTask({
  name: 'tree',
  description: 'a child with a grandchild that ignores SIGINT',
  options: z.object({}),
  run: (_o, c) => [
    sh("sh -c 'trap \\"\\" INT; echo $$ > grandchild.pid; sleep 60' & echo started; wait", c.cwd),
    sh('echo teardown > teardown.txt', c.cwd, { always: true }),
  ],
});
export const slowtear = defineTask({
  name: 'slowtear',
  description: 'prints until stopped, then takes a second to tear down',
  options: z.object({}),
  run: (_o, c) => [
    sh('echo started; while true; do echo tick; sleep 0.1; done', c.cwd),
    sh('echo tearing > tearing.txt; sleep 1; echo teardown > teardown.txt', c.cwd, { always: true }),
  ],
});
export const greet = defineTask({ name: 'greet', description: 'hello', options: z.object({ who: z.string().default('world') }), run: (o, c) => [sh('echo hello ' + o.who, c.cwd)] });
export const both = defineTask({ name: 'both', description: 'calls greet twice, same options', options: z.object({}), run: () => [call(greet, { who: 'a' }), call(greet, { who: 'a' }), call(greet, { who: 'b' })] });
export const touch = defineTask({ name: 'touch', description: 'writes a file', options: z.object({}), run: (_o, c) => [sh('echo x > touched.txt', c.cwd), action('note', ['say done'], async (rt) => rt.log('done'))] });
await runIfMain(import.meta, greet, both, fail);
`;

const repo = () => tempRepo({ 'tasks/demo.ts': TASKS });

/** Running, not a zombie: a killed orphan stays a zombie where PID 1 does not reap (as in some containers). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

// Each case has its own temp repo and most wait (a timeout, Ctrl-C's 5 s grace, a teardown's sleep): side by side.
describe.concurrent('executor', () => {
  it("passes a failing command's exit code through, runs always-steps, and prints the summary", async () => {
    const dir = repo();
    const r = await runCliAsync(['fail'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('command failed with exit code 3: sh -c');
    expect(r.stderr).toContain('about to fail');
    expect(readFileSync(path.join(dir, 'cleanup.txt'), 'utf8')).toBe('cleanup ran\n');
    expect(r.stdout).toMatch(/Summary:\n {2}✖ fail +\d+ ms +failed/);
  });

  it('stops a command at its timeout and exits 124', async () => {
    const r = await runCliAsync(['slow'], { cwd: repo() });
    expect(r.code).toBe(124);
    expect(r.stderr).toContain('command timed out after 500 ms');
  });

  it('Ctrl-C stops the whole process tree, runs teardown and exits 130', async () => {
    const dir = repo();
    const child = startCli(['tree'], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (out.includes('started') && existsSync(path.join(dir, 'grandchild.pid'))) {
          clearInterval(t);
          resolve();
        }
      }, 50);
    });
    const grandchild = Number(readFileSync(path.join(dir, 'grandchild.pid'), 'utf8'));
    expect(alive(grandchild)).toBe(true);
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(Date.now() - sent).toBeLessThan(7500);
    expect(alive(grandchild)).toBe(false);
    expect(existsSync(path.join(dir, 'teardown.txt'))).toBe(true);
  });

  it('a hang-up during the teardown after Ctrl-C (the window closed) lets the teardown finish', async () => {
    const dir = repo();
    const child = startCli(['slowtear'], { cwd: dir });
    await until(() => ticks(child) > 0);
    child.kill('SIGINT');
    await until(() => existsSync(path.join(dir, 'tearing.txt')));
    child.kill('SIGHUP');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(readFileSync(path.join(dir, 'teardown.txt'), 'utf8')).toBe('teardown\n');
  });

  it('its output reader going away stops a run as a hang-up does: teardown, exit 129', async () => {
    const dir = repo();
    const child = startCli(['slowtear'], { cwd: dir });
    await until(() => ticks(child) > 0);
    // The terminal or the pipe's reader is gone: the next lines meet EPIPE.
    child.stdout.destroy();
    child.stderr.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(129);
    expect(readFileSync(path.join(dir, 'teardown.txt'), 'utf8')).toBe('teardown\n');
  });

  it('runs a task called twice with the same options once', async () => {
    const r = await runCliAsync(['both'], { cwd: repo() });
    expect(r.code).toBe(0);
    // Two units of one task: each id names the option that tells them apart.
    expect(r.stdout.match(/\[greet\(who=a\)\] hello a/g)).toHaveLength(1);
    expect(r.stdout).toContain('[greet(who=b)] hello b');
  });

  it('--output json gives one JSON object per event', async () => {
    const r = await runCliAsync(['greet', '--who', 'json', '--output', 'json'], { cwd: repo() });
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    expect(events.map((e) => e.event)).toEqual(['task-start', 'command', 'output', 'task-end', 'summary']);
    expect(events[2]).toMatchObject({ stream: 'stdout', line: 'hello json' });
  });

  it('--dry-run prints the exact commands and changes nothing', async () => {
    const dir = repo();
    const r = await runCliAsync(['touch', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("# dry run: nothing below was executed\n# task touch\nsh -c 'echo x > touched.txt'\n# say done\n");
    expect(existsSync(path.join(dir, 'touched.txt'))).toBe(false);
  });

  it('a tasks/*.ts file runs on its own with the same flags', async () => {
    const dir = repo();
    const env = cliEnv();
    const run = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['tasks/demo.ts', '--', ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
        });
        child.on('error', reject).on('close', (status) => resolve({ status, stdout }));
      });
    const [greet, bad, fail] = await Promise.all([run(['greet', '--who', 'file']), run(['greet', '--bad']), run(['fail'])]);
    expect(greet.stdout).toContain('[greet] hello file');
    expect(bad.status).toBe(2);
    expect(fail.status).toBe(3);
  });
});

const seen = new WeakMap<object, string>();
/** How many "tick" lines the child has printed so far (its stdout is read from the first call on). */
function ticks(child: ReturnType<typeof startCli>): number {
  if (!seen.has(child)) {
    seen.set(child, '');
    child.stdout.on('data', (d) => seen.set(child, (seen.get(child) ?? '') + String(d)));
  }
  return (seen.get(child) ?? '').split('tick').length - 1;
}

async function until(ok: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
