/**
 * Fault injection for the crash-safety tests: with TASK_TEST_CRASH_AFTER=N the process SIGKILLs itself at the Nth
 * checkpoint, exactly as `kill -9` would; TASK_TEST_TRACE_CHECKPOINTS=1 names each checkpoint on stderr so a test
 * can count them. TASK_TEST_PAUSE_AT=<label> with TASK_TEST_PAUSE_UNTIL=<file> holds the process at that checkpoint
 * until the file exists, so a race can be played in a chosen order. Without these variables a checkpoint does nothing.
 */
import { existsSync } from 'node:fs';

let passed = 0;

export function checkpoint(label: string): void {
  const crashAfter = Number(process.env.TASK_TEST_CRASH_AFTER ?? 0);
  if (process.env.TASK_TEST_TRACE_CHECKPOINTS === '1') process.stderr.write(`checkpoint ${passed + 1}: ${label}\n`);
  passed++;
  if (process.env.TASK_TEST_PAUSE_AT === label) {
    const until = process.env.TASK_TEST_PAUSE_UNTIL ?? '';
    const nap = new Int32Array(new SharedArrayBuffer(4));
    while (!existsSync(until)) Atomics.wait(nap, 0, 0, 20);
  }
  if (crashAfter > 0 && passed === crashAfter) process.kill(process.pid, 'SIGKILL');
}
