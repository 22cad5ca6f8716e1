/**
 * Runs a `check` step: fingerprints its inputs and compares with the last success's fingerprint, kept in the repo's
 * state or in an image label. The new fingerprint is stored only after the whole task has succeeded (`commit`), so a
 * failed or interrupted run is never taken for a success.
 */
import { daemonJson } from '../facts/daemon-api.ts';
import { afterSuccess, type Computed, computeFingerprint, describeChange } from '../fingerprint/fingerprint.ts';
import type { FingerprintRecord, StateStore } from '../fingerprint/state.ts';
import type { CommandResult, CommandSpec } from '../model/steps.ts';
import type { CheckStep } from '../model/up-to-date.ts';

export interface CheckOutcome {
  upToDate: boolean;
  /** "nothing changed", or what changed ("src/a.ts changed", "--force", "no image app:latest"). */
  why: string;
  fingerprint: string;
  /** Remembers this fingerprint as the last success's; call once the task has succeeded. */
  commit(): void;
}

type Exec = (spec: CommandSpec, opts: { quiet: boolean; okExitCodes: readonly number[] }) => Promise<CommandResult>;

export async function runCheck(step: CheckStep, state: StateStore, opts: { force: boolean; exec: Exec }): Promise<CheckOutcome> {
  const key = step.store.kind === 'state' ? step.store.key : `image ${step.store.image}`;
  const known = state.stamps(key);
  const computed = computeFingerprint(step.spec, () => state.hashes(), state.dir, known, state.warn);
  const { fingerprint } = computed;
  // The stats of these inputs give this fingerprint from now on (once no file is within the racy window).
  if (computed.stamps.trusted && (known?.digest !== computed.stamps.digest || known.fingerprint !== fingerprint)) state.saveStamps(key, computed.stamps);
  const commit = () => {
    state.saveRecord(
      key,
      afterSuccess(step.spec, computed.record(), () => state.hashes(), state.dir),
    );
    state.saveHashes();
  };
  const verdict = (upToDate: boolean, why: string): CheckOutcome => ({ upToDate, why, fingerprint, commit });
  if (opts.force) return verdict(false, '--force');
  if (step.always) return verdict(false, step.always);
  if (computed.undecodable.length > 0) {
    const shown = computed.undecodable.slice(0, 3).join(', ') + (computed.undecodable.length > 3 ? `, +${computed.undecodable.length - 3} more` : '');
    return verdict(false, `${shown}: not a UTF-8 name, cannot be fingerprinted (rename it): runs every time`);
  }
  if (computed.missing.length > 0) return verdict(false, `${computed.missing.join(', ')} not there`);
  const stored = step.store.kind === 'state' ? state.fingerprint(key) : await imageLabel(step.store, opts.exec);
  if (stored === undefined) return verdict(false, step.store.kind === 'state' ? 'no earlier success recorded' : `no image ${step.store.image}`);
  if (stored === fingerprint) {
    // Remember the hashes (a touched file is then trusted again); a task that runs remembers them on success.
    if (computed.cacheChanged()) state.saveHashes();
    return verdict(true, 'nothing changed');
  }
  return verdict(false, explain(state.record(key), stored, computed, step));
}

/** Whether the task would run, and why, without running anything or remembering (for --status). */
export async function peekCheck(step: CheckStep, state: StateStore, opts: { force: boolean; exec: Exec }): Promise<{ upToDate: boolean; why: string }> {
  const { upToDate, why } = await runCheck(step, state, opts);
  return { upToDate, why };
}

function explain(before: FingerprintRecord | undefined, stored: string, computed: Computed, step: CheckStep): string {
  // The record says what the stored fingerprint was made of only if it is the same fingerprint.
  if (before && before.fingerprint === stored) return describeChange(before, computed.record());
  return step.store.kind === 'state' ? describeChange(undefined, computed.record()) : `${step.store.image} was built from other inputs`;
}

async function imageLabel(store: Extract<CheckStep['store'], { kind: 'image-label' }>, exec: Exec): Promise<string | undefined> {
  if (store.api) {
    // One GET on the socket instead of a docker process; a socket that does not answer leaves it to the CLI.
    const r = await daemonJson(store.api, `/images/${encodeURI(store.image)}/json`);
    if (r && 'status' in r && r.status === 404) return undefined;
    if (r && 'json' in r) {
      const value = (r.json as { Config?: { Labels?: Record<string, unknown> | null } } | null)?.Config?.Labels?.[store.label];
      return typeof value === 'string' && value !== '' ? value : undefined;
    }
  }
  const r = await exec(
    { argv: [store.bin, 'image', 'inspect', '--format', `{{index .Config.Labels ${JSON.stringify(store.label)}}}`, store.image], cwd: store.cwd },
    { quiet: true, okExitCodes: [1] },
  );
  const value = r.stdout.trim();
  return r.exitCode === 0 && value !== '' && value !== '<no value>' ? value : undefined;
}
