/**
 * Ctrl-C for the whole child tree. Children run in their own process group (detached), so a terminal's SIGINT
 * reaches only us; we forward the same signal to every running group, wait a grace period (below CI runners'
 * 7.5 s), then SIGKILL the groups. A second Ctrl-C kills at once. Containers are stopped by `always` steps.
 * The first failure of a run without --keep-going stops the rest the same way (`cancel`), with SIGTERM.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { ExitCode } from '../errors.ts';
import { poll } from '../run/poll.ts';

export const GRACE_MS = 5000;

export type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export class Interrupt {
  readonly controller = new AbortController();
  signal: Signal | undefined;
  /** Set when the run was stopped because a task failed (not by a signal). */
  cancelled = false;
  /** Why it was cancelled ("another task failed", or --watch's "the sources changed"), for what stopped to say. */
  why: string | undefined;
  private readonly groups = new Set<number>();
  private readonly inForeground = new Set<{ kill(sig: NodeJS.Signals): boolean }>();
  /** Every group started in this run: after an interrupt, none may outlive us. */
  private readonly started = new Set<number>();
  private signalAt = 0;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly listeners: Array<[Signal, () => void]> = [];

  private readonly notify: (text: string) => void;

  constructor(notify: (text: string) => void) {
    this.notify = notify;
  }

  install(): void {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const fn = () => this.onSignal(sig);
      process.on(sig, fn);
      this.listeners.push([sig, fn]);
    }
  }

  /**
   * Ends the run. After an interrupt, a process that ignored the signal may still hold on in a group whose leader
   * has exited; wait for the rest of the grace period, then SIGKILL whatever is left, so nothing outlives us.
   */
  async finish(): Promise<void> {
    if (this.stopped) {
      const left = this.signalAt + GRACE_MS - Date.now();
      await poll(async () => ([...this.started].some(groupAlive) ? undefined : true), { everyMs: 100, deadlineMs: Math.max(0, left) });
      for (const g of this.started) killGroup(g, 'SIGKILL');
    }
    for (const [sig, fn] of this.listeners) process.off(sig, fn);
    if (this.killTimer) clearTimeout(this.killTimer);
  }

  /**
   * Registers a command that has our terminal (CommandSpec.terminal): while it runs, a Ctrl-C is its own (the
   * terminal delivered SIGINT to it as well; an interactive shell cancels its line), so we do not stop the run for
   * it. SIGTERM and SIGHUP are passed on to it, and stop the run as usual. Returns the function that forgets it.
   */
  foreground(child: { kill(sig: NodeJS.Signals): boolean }): () => void {
    this.inForeground.add(child);
    return () => this.inForeground.delete(child);
  }

  /** Registers a running process group; returns the function that forgets it. */
  track(pgid: number): () => void {
    this.groups.add(pgid);
    this.started.add(pgid);
    return () => this.groups.delete(pgid);
  }

  /** Stopped by a signal or by a failure: steps not yet started are skipped, except `always` ones. */
  get stopped(): boolean {
    return this.signal !== undefined || this.cancelled;
  }

  /** What a signal does; public so tests can interrupt a run without signalling the test process. */
  onSignal(sig: Signal): void {
    if (this.inForeground.size > 0) {
      if (sig === 'SIGINT') return;
      for (const c of this.inForeground) c.kill(sig);
    }
    if (this.signal) {
      // A hang-up after Ctrl-C is the terminal closing (or its output reader gone), not a person asking to force:
      // the teardown goes on, so that closing the window does not leave the stack half removed.
      if (sig === 'SIGHUP') return;
      this.notify('Second interrupt: killing every child process now.');
      for (const g of this.groups) killGroup(g, 'SIGKILL');
      return;
    }
    this.signal = sig;
    this.notify(`Stopping (${sig}): waiting up to ${GRACE_MS / 1000}s for child processes, then cleaning up. Press Ctrl-C again to force.`);
    this.stop(sig, `interrupted by ${sig}`);
  }

  /** The first failure without --keep-going: stop what still runs (SIGTERM, then SIGKILL after the grace period). */
  cancel(why: string): void {
    if (this.stopped) return;
    this.cancelled = true;
    this.why = why;
    this.stop('SIGTERM', why);
  }

  private stop(sig: NodeJS.Signals, why: string): void {
    if (this.signalAt === 0) this.signalAt = Date.now();
    this.controller.abort(new Error(why));
    for (const g of this.groups) killGroup(g, sig);
    if (this.killTimer) return;
    this.killTimer = setTimeout(() => {
      for (const g of this.groups) killGroup(g, 'SIGKILL');
    }, GRACE_MS);
    this.killTimer.unref();
  }
}

/** The shell convention, 128 + the signal's number: SIGHUP 129, SIGINT 130, SIGTERM 143. */
export function interruptExitCode(sig: string): number {
  return sig === 'SIGINT' ? ExitCode.sigint : sig === 'SIGHUP' ? ExitCode.sighup : ExitCode.sigterm;
}

/**
 * Whether a process of the group still runs. A killed process whose parent died too stays a zombie until PID 1
 * reaps it, which some containers' PID 1 never does: zombies run nothing, so on Linux they do not count.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return true;
  }
  for (const pid of pids) {
    try {
      // After the command (which may hold spaces and parentheses): state, ppid, pgrp.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)?.split(' ') ?? [];
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    } catch {
      // Gone meanwhile.
    }
  }
  return false;
}

export function killGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // The group is already gone.
  }
}
