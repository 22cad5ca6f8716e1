/** The task graph through the real CLI: JSON ids, --graph, --status's exit code, --list's deps, and --watch. */
import { existsSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, startCli, tempRepo } from './helpers/cli.ts';

const TASKS = `import { defineTask, cmd, z } from '@promtior/tasks';
const sh = (s: string, cwd: string) => cmd(['sh', '-c', s], { cwd });
export const gen = defineTask({ name: 'gen', description: 'makes out.txt from src', options: z.object({}), sources: ['src/**'], generates: ['out.txt'], plan: (_o, c) => [sh('cat src/* > out.txt', c.cwd)] });
export const check = defineTask({ name: 'check', description: 'reads out.txt', options: z.object({}), deps: ['gen', 'lint'], plan: (_o, c) => [sh('test -s out.txt', c.cwd)] });
export const lint = defineTask({ name: 'lint', description: 'always runs', options: z.object({}), plan: (_o, c) => [sh('echo linted', c.cwd)] });
export const serve = defineTask({
  name: 'serve',
  description: 'a long round that leaves a child behind unless stopped',
  options: z.object({}),
  sources: ['src/**'],
  plan: (_o, c) => [sh('echo round >> rounds.log; sleep 60 & echo "$$ $!" > pids; wait', c.cwd)],
});
`;

const repo = () => tempRepo({ 'tasks/graph.ts': TASKS, 'src/a.txt': 'a\n', 'src/b.txt': 'b\n' });

function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Each case has its own temp repo: side by side, so --watch's waits and the others' CLI starts overlap.
describe.concurrent('the graph through the CLI', () => {
  it('JSON events carry the task id; deps run before, the summary lists every task', async () => {
    const r = await runCliAsync(['check', '-j', '2', '--output', 'json'], { cwd: repo() });
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; id?: string; units?: { id: string }[]; tasks?: { task: string; outcome: string }[] });
    expect(events[0]).toMatchObject({ event: 'plan-units', units: [{ id: 'check' }, { id: 'gen' }, { id: 'lint' }] });
    for (const e of events.filter((e) => ['task-start', 'command', 'output', 'task-end'].includes(e.event))) expect(e.id).toMatch(/^(check|gen|lint)$/);
    const ends = events.filter((e) => e.event === 'task-end').map((e) => e.id);
    expect(ends.at(-1)).toBe('check');
    expect(events.at(-1)?.tasks?.map((t) => [t.task, t.outcome])).toEqual([
      ['check', 'ok'],
      ['gen', 'ok'],
      ['lint', 'ok'],
    ]);
  });

  it('--graph prints Mermaid and DOT; --list names the deps', async () => {
    const dir = repo();
    expect((await runCliAsync(['--graph', 'mermaid', 'check'], { cwd: dir })).stdout).toBe(
      'flowchart LR\n  n0["check"]\n  n1["gen"]\n  n2["lint"]\n  n0 -->|needs| n1\n  n0 -->|needs| n2\n',
    );
    expect((await runCliAsync(['check', '--graph', 'dot'], { cwd: dir })).stdout).toContain('n0 -> n1 [label="needs"];');
    expect((await runCliAsync(['--list'], { cwd: dir })).stdout).toMatch(/check +reads out\.txt +\[tasks\/graph\.ts\] +needs: gen, lint/);
    expect(await runCliAsync(['--graph', 'mermaid'], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringContaining('--graph mermaid needs a task') });
  });

  it('--status exits 1 while something would run and 0 when all is up to date; a touch changes nothing', async () => {
    const dir = repo();
    const status = () => runCliAsync(['gen', '--status'], { cwd: dir });
    expect(await status()).toMatchObject({ code: 1, stdout: expect.stringMatching(/▶ gen +would run: out\.txt not there/) });
    expect((await runCliAsync(['gen'], { cwd: dir })).code).toBe(0);
    expect(await status()).toMatchObject({ code: 0, stdout: expect.stringMatching(/✔ gen +up to date \(nothing changed\)/) });
    const now = new Date();
    utimesSync(path.join(dir, 'src', 'a.txt'), now, now);
    expect((await runCliAsync(['gen'], { cwd: dir })).stdout).toMatch(/✔ gen +\d+ ms +up to date/);
    writeFileSync(path.join(dir, 'src', 'a.txt'), 'changed\n');
    expect(await status()).toMatchObject({ code: 1, stdout: expect.stringContaining('would run: src/a.txt changed') });
    expect((await runCliAsync(['gen', '--force'], { cwd: dir })).stdout).toMatch(/✔ gen +\d+ ms +ok \(ran because --force\)/);
  });

  it('--status sees a file named with a newline and leaves out a looping link with a warning, never an internal error', async () => {
    const dir = repo();
    expect((await runCliAsync(['gen'], { cwd: dir })).code).toBe(0);
    writeFileSync(path.join(dir, 'src', 'new\nline.txt'), 'x\n');
    expect(await runCliAsync(['gen', '--status'], { cwd: dir })).toMatchObject({ code: 1, stdout: expect.stringContaining('line.txt added') });
    symlinkSync('loop', path.join(dir, 'src', 'loop'));
    const r = await runCliAsync(['gen', '--status'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('warning: src/loop cannot be read (ELOOP: a symlink loop): left out of the up-to-date check.');
    expect(r.all).not.toContain('internal error');
  });

  it('--watch reruns once per burst of changes (stopping the running round), not on a touch, and Ctrl-C leaves nothing running', async () => {
    const dir = repo();
    const rounds = () => (existsSync(path.join(dir, 'rounds.log')) ? readFileSync(path.join(dir, 'rounds.log'), 'utf8').split('\n').length - 1 : 0);
    const pids = () => (existsSync(path.join(dir, 'pids')) ? readFileSync(path.join(dir, 'pids'), 'utf8').trim().split(' ').map(Number) : []);
    const child = startCli(['serve', '--watch'], { cwd: dir });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    await until('the first round', () => rounds() === 1 && pids().length === 2);
    const first = pids();
    // A burst: five writes in quick succession.
    for (let i = 0; i < 5; i++) {
      writeFileSync(path.join(dir, 'src', `burst-${i}.txt`), `${i}\n`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await until('the second round', () => rounds() === 2 && pids()[0] !== first[0] && pids().length === 2);
    const second = pids();
    expect(err).toContain('Sources changed: stopping the running round.');
    // A restart, not a failure (it said "error: stopped because another task failed").
    expect(err).not.toMatch(/error:|another task failed/);
    for (const pid of first) expect(alive(pid), `first round's ${pid}`).toBe(false);
    // Quiet for a while: still one round per burst. A touch is no change of content.
    const now = new Date();
    utimesSync(path.join(dir, 'src', 'a.txt'), now, now);
    await new Promise((r) => setTimeout(r, 1500));
    expect(rounds()).toBe(2);
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(Date.now() - sent).toBeLessThan(7500);
    for (const pid of second) expect(alive(pid), `second round's ${pid}`).toBe(false);
  });
});
