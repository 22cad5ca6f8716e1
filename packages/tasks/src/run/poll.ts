/**
 * The one polling loop: call `probe` every `everyMs` until it returns a value or `deadlineMs` has passed since the
 * start. An error thrown by the probe ends the poll (a container that exited will not become healthy); an aborted
 * signal ends it with the signal's reason. The clock and the sleep can be replaced, so tests need no real time.
 */
export interface PollOptions {
  everyMs: number;
  /** Give up this long after the first attempt started. */
  deadlineMs: number;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type PollResult<T> = { ok: true; value: T; elapsedMs: number; attempts: number } | { ok: false; elapsedMs: number; attempts: number };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function poll<T>(probe: (attempt: number) => Promise<T | undefined>, opts: PollOptions): Promise<PollResult<T>> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const started = now();
  let attempts = 0;
  for (;;) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const value = await probe(attempts++);
    if (value !== undefined) return { ok: true, value, elapsedMs: now() - started, attempts };
    const left = started + opts.deadlineMs - now();
    if (left <= 0) return { ok: false, elapsedMs: now() - started, attempts };
    await sleep(Math.min(opts.everyMs, left));
  }
}
