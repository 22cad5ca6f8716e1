/** Background processes the test helpers start (a registry, a second dockerd): waiting for them, and stopping them. */
import { readFileSync } from 'node:fs';

const pending = new Set<() => void>();
let hooked = false;

/**
 * Registers `stop` to run at process exit too (a test file that dies skips its afterAll), and returns it wrapped
 * so it runs once whoever calls it first.
 */
export function onExit(stop: () => void): () => void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    pending.delete(once);
    stop();
  };
  pending.add(once);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const s of [...pending]) s();
    });
  }
  return once;
}

/** Polls `check` every 100 ms until it is true or `timeoutMs` passes; says which. */
export async function untilTrue(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Whether a process is still running (a zombie our own process has not reaped yet is not). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
