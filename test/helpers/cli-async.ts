/**
 * The CLI run to its end without blocking the worker, so tests in one file can run side by side (`describe.concurrent`):
 * a test that mostly waits on the engine (health checks, stacks starting) then waits alongside the others.
 */
import type { CliResult, RunOptions } from './cli.ts';
import { startCli } from './cli.ts';

/**
 * As runCli, but asynchronous. After timeoutMs the CLI gets Ctrl-C's SIGINT (it then removes what it started, as
 * for a user) and SIGKILL 30 s later: keep timeoutMs under the test's timeout, so a slow run fails with its own output
 * and leaves no CLI running on after the test.
 */
export function runCliAsync(args: readonly string[], opts: RunOptions = {}, timeoutMs = 600_000): Promise<CliResult> {
  const child = startCli(args, opts);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  let killer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    child.kill('SIGINT');
    killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(killer);
      resolve({ code, stdout, stderr, all: `${stdout}\n${stderr}` });
    });
  });
}
