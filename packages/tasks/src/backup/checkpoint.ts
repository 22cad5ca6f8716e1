/**
 * Fault injection for the crash-safety tests: with TASK_TEST_CRASH_AFTER=N the process SIGKILLs itself at the Nth
 * checkpoint, exactly as `kill -9` would; TASK_TEST_TRACE_CHECKPOINTS=1 names each checkpoint on stderr so a test
 * can count them. Without these variables a checkpoint does nothing.
 */
let passed = 0;

export function checkpoint(label: string): void {
  const crashAfter = Number(process.env.TASK_TEST_CRASH_AFTER ?? 0);
  if (process.env.TASK_TEST_TRACE_CHECKPOINTS === '1') process.stderr.write(`checkpoint ${passed + 1}: ${label}\n`);
  passed++;
  if (crashAfter > 0 && passed === crashAfter) process.kill(process.pid, 'SIGKILL');
}
