/**
 * --watch: run, then run again whenever the content of the graph's sources changes. Changes are polled (the stat of
 * every source file, a few ms for a repo's worth), and a burst of them is waited out (`quietMs` without a further
 * change) so that a save of ten files is one rerun; a `touch` that leaves the content alone is no change (content
 * hashes decide, fingerprint/hash-files.ts). A round still running when a change arrives is stopped first (its
 * process groups, with their teardown steps). Ctrl-C stops the round and ends the watch, leaving nothing running.
 */
import { hash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { Interrupt, type Signal } from '../exec/interrupt.ts';
import { computeFingerprint } from '../fingerprint/fingerprint.ts';
import { globFiles } from '../fingerprint/glob.ts';
import type { StateStore } from '../fingerprint/state.ts';
import type { FingerprintSpec } from '../model/up-to-date.ts';
import { allUnits } from './graph.ts';
import type { PlannedStep, Unit } from './plan.ts';

/** Why --watch stops a running round (Interrupt.why): a restart, not a failure. */
export const SOURCES_CHANGED = 'the sources changed, to run again';

export interface WatchOptions {
  /** Plans the graph afresh (each round sees the files as they are). */
  plan: () => Promise<Unit>;
  /** Runs one round; errors are the round's to report, the watch goes on. */
  round: (unit: Unit, interrupt: Interrupt) => Promise<void>;
  state: StateStore;
  notify: (text: string) => void;
  pollMs?: number;
  quietMs?: number;
}

/** Runs until a signal; resolves with the signal that ended it. */
export async function watch(opts: WatchOptions): Promise<Signal> {
  const pollMs = opts.pollMs ?? 150;
  const quietMs = opts.quietMs ?? 300;
  let ending: Signal | undefined;
  let current: Interrupt | undefined;
  let wake: (() => void) | undefined;
  const listeners = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((sig) => {
    const fn = () => {
      ending ??= sig;
      current?.onSignal(sig);
      wake?.();
    };
    process.on(sig, fn);
    return [sig, fn] as const;
  });
  try {
    while (!ending) {
      const unit = await opts.plan();
      const specs = watchedSpecs(unit);
      if (specs.length === 0) throw new Error('no sources');
      const before = contentDigest(specs, opts.state);
      let stamps = stampDigest(specs, opts.state);
      const interrupt = new Interrupt(opts.notify);
      current = interrupt;
      let running = true;
      const round = opts.round(unit, interrupt).finally(() => {
        running = false;
        wake?.();
      });
      // Wait for a change of content (stopping the round if it is still running), or for the end. Should looking
      // at the files fail, the round is stopped before the error goes on: a watch never leaves its children running.
      let changedAt = 0;
      try {
        for (;;) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, pollMs);
          });
          wake = undefined;
          if (ending) break;
          const now = stampDigest(specs, opts.state);
          if (now !== stamps) {
            stamps = now;
            changedAt = Date.now();
            continue;
          }
          if (changedAt === 0 || Date.now() - changedAt < quietMs) continue;
          changedAt = 0;
          if (contentDigest(specs, opts.state) === before) continue;
          if (running) {
            opts.notify('Sources changed: stopping the running round.');
            interrupt.cancel(SOURCES_CHANGED);
          }
          break;
        }
      } catch (e) {
        interrupt.cancel('the watch failed');
        await round.catch(() => {});
        await interrupt.finish();
        throw e;
      }
      await round;
      await interrupt.finish();
      current = undefined;
      if (!ending) opts.notify('Sources changed: running again.');
    }
    return ending;
  } finally {
    for (const [sig, fn] of listeners) process.off(sig, fn);
  }
}

/** The inputs of every check in the graph. */
export function watchedSpecs(root: Unit): FingerprintSpec[] {
  const specs: FingerprintSpec[] = [];
  const visit = (s: PlannedStep) => {
    if (s.kind === 'check') specs.push(s.spec);
    else if (s.kind === 'parallel') for (const b of s.branches) for (const x of b) visit(x);
  };
  for (const u of allUnits(root)) for (const s of u.steps) visit(s);
  return specs;
}

/** What `stat` says of every watched file: cheap, and changes with any write (or a touch). */
function stampDigest(specs: readonly FingerprintSpec[], state: StateStore): string {
  const parts: string[] = [];
  for (const spec of specs) {
    const own = state.dir && path.relative(spec.dir, state.dir);
    for (const rel of globFiles(spec.dir, spec.sources, { all: spec.dockerignore !== undefined, ignore: (r, isDir) => isDir && r === own, warn: state.warn })) {
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(path.join(spec.dir, rel), { throwIfNoEntry: false });
      } catch {
        st = undefined;
      }
      parts.push(`${rel}:${st?.size}:${st?.mtimeMs}:${st?.ino}`);
    }
  }
  return hash('sha256', parts.join('\n'), 'hex');
}

/** The content fingerprints: what decides whether a change is one (a touch is not). */
function contentDigest(specs: readonly FingerprintSpec[], state: StateStore): string {
  return specs.map((s) => computeFingerprint({ ...s, generates: [] }, () => state.hashes(), state.dir, undefined, state.warn).fingerprint).join(',');
}
