/**
 * The one place that spawns processes, with node:child_process directly: no shell between us and the program
 * (argv is passed as is, never re-quoted), each run command in its own process group so Ctrl-C and timeouts stop
 * the whole tree (docker, compose and their children). Output is streamed line by line to the caller; a failure
 * throws a TaskError carrying the exit code and the last lines. Probes (facts) use the same spawner, quietly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ErrorCode, ExitCode, TaskError } from '../errors.ts';
import { closePrefetch } from '../facts/daemon-get.cjs';
import type { CommandResult, CommandSpec } from '../model/steps.ts';
import { poll } from '../run/poll.ts';
import { formatCommand } from './format-command.ts';
import { GRACE_MS, groupAlive, type Interrupt, interruptExitCode, killGroup } from './interrupt.ts';

export type Stream = 'stdout' | 'stderr';

export interface RunIO {
  onLine: (stream: Stream, line: string) => void;
  interrupt: Interrupt;
  mask: (text: string) => string;
  okExitCodes?: readonly number[];
  diagnose?: (lastLines: readonly string[]) => string | undefined;
  /** The command as errors name it (default: formatted from the spec). */
  shown?: string;
}

interface Ended extends CommandResult {
  signal: NodeJS.Signals | null;
  /** Set when the program could not be started at all (not found, not executable, bad cwd). */
  spawnError?: NodeJS.ErrnoException;
}

interface Started {
  child: ChildProcess;
  ended: Promise<Ended>;
}

const TAIL = 20;

/** Starts `spec`; `onLine` sees each complete line of either stream as it arrives. */
function start(spec: CommandSpec, detached: boolean, onLine: (stream: Stream, line: string) => void): Started {
  const [file = '', ...args] = spec.argv;
  const stdio = spec.terminal ? 'inherit' : 'pipe';
  const child = spawn(file, args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, detached, stdio: [stdio, stdio, stdio] });
  const text: Record<Stream, string> = { stdout: '', stderr: '' };
  const partial: Record<Stream, string> = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]?.setEncoding('utf8');
    child[stream]?.on('data', (chunk: string) => {
      text[stream] += chunk;
      const lines = (partial[stream] + chunk).split('\n');
      partial[stream] = lines.pop() ?? '';
      for (const line of lines) onLine(stream, line.replace(/\r$/, ''));
    });
  }
  // A child that never reads its stdin closes it early: that is not our error.
  child.stdin?.on('error', () => {});
  if (!spec.terminal) child.stdin?.end(spec.input ?? '');
  const ended = new Promise<Ended>((resolve) => {
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
      // Some start failures end without a 'close'.
      if (child.pid === undefined) resolve({ exitCode: 127, signal: null, stdout: '', stderr: error.message, spawnError });
    });
    child.on('close', (code, signal) => {
      for (const stream of ['stdout', 'stderr'] as const) if (partial[stream]) onLine(stream, partial[stream]);
      const exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);
      resolve({ exitCode: spawnError ? 127 : exitCode, signal, stdout: text.stdout, stderr: text.stderr, spawnError });
    });
  });
  return { child, ended };
}

export async function runCommand(spec: CommandSpec, io: RunIO): Promise<CommandResult> {
  const tail: string[] = [];
  // A command may build, pull or remove: the daemon's answers sent ahead at start no longer stand (facts/daemon-get.cjs).
  closePrefetch();
  // A terminal command stays in our process group (a background group could not read the keyboard).
  const { child, ended } = start(spec, !spec.terminal, (stream, line) => {
    tail.push(line);
    if (tail.length > TAIL) tail.shift();
    io.onLine(stream, line);
  });
  const startedBeforeInterrupt = !io.interrupt.stopped;
  const pid = child.pid;
  const forget = !pid ? () => {} : spec.terminal ? io.interrupt.foreground(child) : io.interrupt.track(pid);
  let timedOut = false;
  const timer =
    spec.timeoutMs && pid
      ? setTimeout(() => {
          timedOut = true;
          if (spec.terminal) child.kill('SIGTERM');
          else killGroup(pid, 'SIGTERM');
          setTimeout(() => (spec.terminal ? child.kill('SIGKILL') : killGroup(pid, 'SIGKILL')), GRACE_MS).unref();
        }, spec.timeoutMs)
      : undefined;
  const out = await ended;
  if (timer) clearTimeout(timer);
  forget();
  const shown = io.mask(io.shown ?? formatCommand(spec));
  const details = ['last lines of output:', ...tail.map(io.mask)];
  if (out.spawnError) {
    throw new TaskError(ErrorCode.commandFailed, `cannot run ${shown}: ${startFailure(out.spawnError, spec)}`, { exitCode: 127, cause: out.spawnError });
  }
  if (timedOut) {
    if (!spec.terminal) await reap(pid as number);
    throw new TaskError(ErrorCode.timeout, `command timed out after ${spec.timeoutMs} ms and was stopped: ${shown}`, { exitCode: ExitCode.timeout, details });
  }
  // A command that ended because of the interrupt reports the interrupt; teardown commands run after it normally.
  if (io.interrupt.stopped && startedBeforeInterrupt && out.exitCode !== 0) {
    throw io.interrupt.signal ? interrupted(io.interrupt.signal) : cancelled(io.interrupt.why);
  }
  if (out.exitCode !== 0 && !(io.okExitCodes ?? []).includes(out.exitCode)) {
    const cause = io.diagnose?.(tail);
    throw new TaskError(
      ErrorCode.commandFailed,
      `command failed with exit code ${out.exitCode}${out.signal ? ` (${out.signal})` : ''}: ${shown}${cause ? `. Likely cause: ${cause}` : ''}`,
      { exitCode: out.exitCode, details },
    );
  }
  return { exitCode: out.exitCode, stdout: out.stdout, stderr: out.stderr };
}

function startFailure(error: NodeJS.ErrnoException, spec: CommandSpec): string {
  if (error.code === 'ENOENT') return `${spec.argv[0]} was not found (or the folder ${spec.cwd} does not exist). Fix: install it, or check PATH.`;
  if (error.code === 'EACCES') return `${spec.argv[0]} is not executable. Fix: check its permissions.`;
  return error.message;
}

/** After a timeout kill, give the group the grace period to go, then SIGKILL what ignored SIGTERM. */
async function reap(pgid: number): Promise<void> {
  await poll(async () => (groupAlive(pgid) ? undefined : true), { everyMs: 100, deadlineMs: GRACE_MS });
  killGroup(pgid, 'SIGKILL');
}

/** A command stopped because another task of the run failed (or --watch restarts the round): not a failure of its own. */
export function cancelled(why = 'another task failed'): TaskError {
  return new TaskError(ErrorCode.cancelled, `stopped because ${why}`, { exitCode: ExitCode.failure });
}

export function interrupted(sig: string): TaskError {
  return new TaskError(ErrorCode.interrupted, `interrupted by ${sig}; everything started was stopped`, { exitCode: interruptExitCode(sig) });
}

/**
 * A quiet, read-only probe (`docker version`, `git rev-parse`) for gathering facts: never throws for a non-zero
 * exit, returns trimmed output; a missing program gives exit 127; a probe that hangs is killed after `timeoutMs`
 * (`timedOut` then says so).
 * It stays in our process group, so a Ctrl-C while planning stops it with us.
 */
export async function probe(
  argv: readonly string[],
  opts: { cwd: string; env?: Readonly<Record<string, string>>; timeoutMs?: number },
): Promise<CommandResult & { timedOut: boolean }> {
  const { child, ended } = start({ argv, cwd: opts.cwd, env: opts.env }, false, () => {});
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? 20_000);
  const out = await ended;
  clearTimeout(timer);
  return { exitCode: out.exitCode, stdout: out.stdout.trim(), stderr: out.stderr.trim(), timedOut };
}
