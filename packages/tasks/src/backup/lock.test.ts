import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from './lock.ts';

const DEAD_PID = 2 ** 22 + 17;

/**
 * A child that waits for `startAt`, tries the lock once, and logs "in"/"out" (or "locked") with its pid. It waits
 * asleep (Atomics.wait blocks the thread without using a core): a busy loop in each of 48 children burnt ~6 CPU
 * seconds of the two cores, beside the other tests, and lined the children up no better, as only two run at once.
 */
const CHILD = `
const { acquireLock } = await import(process.argv[1]);
const [dir, log, startAt] = process.argv.slice(2);
const { appendFileSync } = await import('node:fs');
const wait = Number(startAt) - Date.now();
if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
try {
  const lock = acquireLock(dir, 'race');
  appendFileSync(log, 'in ' + process.pid + '\\n');
  await new Promise((r) => setTimeout(r, 300));
  appendFileSync(log, 'out ' + process.pid + '\\n');
  lock.release();
} catch (e) {
  appendFileSync(log, (e.code === 'LOCKED' ? 'locked ' : 'error ' + e.message + ' ') + process.pid + '\\n');
}`;

function race(dir: string, log: string, n: number): Promise<void> {
  const startAt = Date.now() + 800;
  const lockModule = path.join(import.meta.dirname, 'lock.ts');
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, ['--input-type=module', '-e', CHILD, lockModule, dir, log, String(startAt)], { stdio: 'inherit' }),
  );
  return Promise.all(children.map((c) => new Promise<void>((r) => c.on('exit', () => r())))).then(() => undefined);
}

/**
 * A child that tries the lock once, paused (the checkpoint pause) right after it judged the newest lock stale: resolves
 * once it is there, with `go()` to let it go on and `result()`, what it printed ("took it" or the error code).
 */
async function pausedTaker(dir: string): Promise<{ go: () => void; result: () => Promise<string> }> {
  const gate = path.join(dir, 'go');
  const script = `const { acquireLock } = await import(process.argv[1]);
try { acquireLock(process.argv[2], 'slow'); console.log('took it'); } catch (e) { console.log(e.code); }`;
  const slow = spawn(process.execPath, ['--input-type=module', '-e', script, path.join(import.meta.dirname, 'lock.ts'), dir], {
    env: { ...process.env, TASK_TEST_TRACE_CHECKPOINTS: '1', TASK_TEST_PAUSE_AT: 'lock judged stale', TASK_TEST_PAUSE_UNTIL: gate },
  });
  let out = '';
  slow.stdout.on('data', (d) => {
    out += d;
  });
  const exited = new Promise((r) => slow.on('exit', r));
  await new Promise<void>((resolve) => slow.stderr.on('data', (d: Buffer) => String(d).includes('lock judged stale') && resolve()));
  const result = async () => {
    await exited;
    return out.trim();
  };
  return { go: () => writeFileSync(gate, ''), result };
}

describe('acquireLock', () => {
  it('stops a second taker while the first holds it, and can be taken again after release', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lock-'));
    const first = acquireLock(dir, 'migrate');
    writeFileSync(path.join(dir, 'x'), '');
    // Same process: a lock is about processes, so fake another live owner by rewriting the newest lock's pid.
    const newest = readdirSync(dir).find((f) => f.startsWith('.lock.')) as string;
    const owner = JSON.parse(readFileSync(path.join(dir, newest), 'utf8'));
    writeFileSync(path.join(dir, newest), JSON.stringify({ ...owner, pid: process.ppid }));
    expect(() => acquireLock(dir, 'restore')).toThrow(/another migrate \(pid \d+/);
    writeFileSync(path.join(dir, newest), JSON.stringify(owner));
    first.release();
    acquireLock(dir, 'restore').release();
  });

  it('takes over a lock whose owner is gone, from the old single-file layout too', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lock-'));
    writeFileSync(path.join(dir, '.lock'), JSON.stringify({ pid: DEAD_PID, task: 'migrate', since: 'a crash' }));
    const lock = acquireLock(dir, 'migrate');
    expect(existsSync(path.join(dir, '.lock'))).toBe(false);
    lock.release();
  });

  it("a taker that judged a lock stale and was overtaken does not take the new owner's lock", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lock-order-'));
    writeFileSync(path.join(dir, '.lock'), JSON.stringify({ pid: DEAD_PID, task: 'migrate', since: 'a crash' }));
    // The slow taker has read the stale owner and is about to act on it ...
    const slow = await pausedTaker(dir);
    // ... when another run takes the lock over and holds it (this process: alive for the whole test).
    const held = acquireLock(dir, 'fast');
    slow.go();
    expect(await slow.result()).toBe('LOCKED');
    held.release();
  });

  it("a taker that stalled while two later runs took the lock does not take the newest owner's lock through a tidied generation", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lock-stall-'));
    acquireLock(dir, 'first').release();
    // The slow taker has read generation 1, released, and is about to create generation 2 ...
    const slow = await pausedTaker(dir);
    // ... when one run takes generation 2 and releases it, and the next takes generation 3 (tidying 1 and 2 away)
    // and holds it.
    acquireLock(dir, 'second').release();
    const held = acquireLock(dir, 'third');
    expect(readdirSync(dir).filter((f) => f.startsWith('.lock.'))).toEqual(['.lock.3']);
    slow.go();
    expect(await slow.result()).toBe('LOCKED');
    // The slow taker's generation 2 did not stay behind.
    expect(readdirSync(dir).filter((f) => f.startsWith('.lock.'))).toEqual(['.lock.3']);
    held.release();
  });

  it('keeps mutual exclusion when many processes race for the same stale lock', async () => {
    for (let round = 0; round < 4; round++) {
      const dir = mkdtempSync(path.join(tmpdir(), 'lock-race-'));
      // Round 0: the old single-file layout; then a later generation.
      writeFileSync(path.join(dir, '.lock'), JSON.stringify({ pid: DEAD_PID, task: 'migrate', since: 'a crash' }));
      const log = path.join(dir, 'log');
      appendFileSync(log, '');
      await race(dir, log, 12);
      const lines = readFileSync(log, 'utf8').trim().split('\n');
      expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
      // Mutual exclusion: every "in" is followed by its own "out" before anyone else is in. (A child that starts
      // late on a busy machine may rightly take the lock after the first released it.)
      const holders = lines.filter((l) => !l.startsWith('locked '));
      for (let i = 0; i < holders.length; i += 2) expect(holders[i + 1]).toBe(holders[i]?.replace('in ', 'out '));
      expect(holders.length).toBeGreaterThanOrEqual(2);
    }
  }, 30_000);
});
