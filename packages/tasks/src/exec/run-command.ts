/**
 * The one place that spawns processes (zx `$`). Each child gets its own process group so that Ctrl-C and
 * timeouts can stop the whole tree (docker, compose and their children). Output is streamed line by line to the
 * caller; a failure throws a TaskError carrying the child's exit code and its last lines of output.
 */
import { createInterface } from 'node:readline';
import { ErrorCode, ExitCode, TaskError } from '../errors.ts';
import type { CommandResult, CommandSpec } from '../model/steps.ts';
import { formatCommand } from './format-command.ts';
import { GRACE_MS, groupAlive, type Interrupt, killGroup } from './interrupt.ts';

export interface RunIO {
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
  interrupt: Interrupt;
  mask: (text: string) => string;
  okExitCodes?: readonly number[];
  diagnose?: (lastLines: readonly string[]) => string | undefined;
}

const TAIL = 20;

export async function runCommand(spec: CommandSpec, io: RunIO): Promise<CommandResult> {
  const { $ } = await import('zx/core');
  const p = $({
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true,
    quiet: true,
    nothrow: true,
    verbose: false,
    input: spec.input ?? '',
  })`${spec.argv}`;
  const tail: string[] = [];
  const watch = (stream: 'stdout' | 'stderr') =>
    createInterface({ input: p[stream] }).on('line', (line) => {
      tail.push(line);
      if (tail.length > TAIL) tail.shift();
      io.onLine(stream, line);
    });
  watch('stdout');
  watch('stderr');
  const startedBeforeInterrupt = !io.interrupt.signal;
  const pid = p.child?.pid ?? p.pid;
  const forget = pid ? io.interrupt.track(pid) : () => {};
  let timedOut = false;
  const timer =
    spec.timeoutMs && pid
      ? setTimeout(() => {
          timedOut = true;
          killGroup(pid, 'SIGTERM');
          setTimeout(() => killGroup(pid, 'SIGKILL'), GRACE_MS).unref();
        }, spec.timeoutMs)
      : undefined;
  const out = await p;
  if (timer) clearTimeout(timer);
  forget();
  const shown = io.mask(formatCommand(spec));
  if (timedOut) {
    await reap(pid as number);
    throw new TaskError(ErrorCode.timeout, `command timed out after ${spec.timeoutMs} ms and was stopped: ${shown}`, {
      exitCode: ExitCode.timeout,
      details: ['last lines of output:', ...tail.map(io.mask)],
    });
  }
  // A command that ended because of the interrupt reports the interrupt; teardown commands run after it normally.
  if (io.interrupt.signal && startedBeforeInterrupt && out.exitCode !== 0) throw interrupted(io.interrupt.signal);
  const exitCode = out.exitCode ?? 1;
  if (exitCode !== 0 && !(io.okExitCodes ?? []).includes(exitCode)) {
    const cause = io.diagnose?.(tail);
    throw new TaskError(
      ErrorCode.commandFailed,
      `command failed with exit code ${exitCode}${out.signal ? ` (${out.signal})` : ''}: ${shown}${cause ? `. Likely cause: ${cause}` : ''}`,
      {
        exitCode,
        details: ['last lines of output:', ...tail.map(io.mask)],
      },
    );
  }
  return { exitCode, stdout: out.stdout, stderr: out.stderr };
}

/** After a timeout kill, give the group the grace period to go, then SIGKILL what ignored SIGTERM. */
async function reap(pgid: number): Promise<void> {
  const deadline = Date.now() + GRACE_MS;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  killGroup(pgid, 'SIGKILL');
}

export function interrupted(sig: string): TaskError {
  return new TaskError(ErrorCode.interrupted, `interrupted by ${sig}; everything started was stopped`, {
    exitCode: sig === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm,
  });
}

/**
 * A quiet, read-only probe (`docker version`, `git rev-parse`) through the same spawner: never throws for a
 * non-zero exit, returns the output. Used while planning and by `doctor`; a missing program gives exit 127.
 */
export async function capture(argv: readonly string[], cwd: string, env?: Readonly<Record<string, string>>): Promise<CommandResult> {
  const { $ } = await import('zx/core');
  const out = await $({ cwd, env: { ...process.env, ...env }, quiet: true, nothrow: true, verbose: false, input: '', timeout: '20s' })`${argv}`;
  return { exitCode: out.exitCode ?? 1, stdout: out.stdout.trim(), stderr: out.stderr.trim() };
}
