import { describe, expect, it } from 'vitest';
import { poll } from './poll.ts';

/** A clock that only moves when the poller sleeps. */
function fakeTime() {
  let t = 0;
  const sleep = async (ms: number) => {
    t += ms;
  };
  return { now: () => t, sleep, slept: () => t };
}

describe('poll', () => {
  it('returns the first value, with the attempts and the time it took', async () => {
    const time = fakeTime();
    const r = await poll(async (i) => (i === 3 ? 'ready' : undefined), { everyMs: 250, deadlineMs: 10_000, ...time });
    expect(r).toEqual({ ok: true, value: 'ready', elapsedMs: 750, attempts: 4 });
  });

  it('gives up at the deadline, never sleeping past it', async () => {
    const time = fakeTime();
    const r = await poll(async () => undefined, { everyMs: 300, deadlineMs: 1000, ...time });
    expect(r).toEqual({ ok: false, elapsedMs: 1000, attempts: 5 });
    expect(time.slept()).toBe(1000);
  });

  it('ends with the probe’s error, and with the signal’s reason when aborted', async () => {
    const time = fakeTime();
    await expect(
      poll(
        async () => {
          throw new Error('container exited');
        },
        { everyMs: 1, deadlineMs: 10, ...time },
      ),
    ).rejects.toThrow('container exited');
    const c = new AbortController();
    c.abort(new Error('interrupted'));
    await expect(poll(async () => undefined, { everyMs: 1, deadlineMs: 10, signal: c.signal, ...time })).rejects.toThrow('interrupted');
  });
});
