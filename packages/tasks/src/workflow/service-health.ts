/**
 * Readiness of the stack's other services (tasks.config.ts `services`, from a preset or the repo): each one's health
 * endpoint, polled after the app is ready, so `docker-run` returns when every service the repo names answers. Kept
 * apart from wait-ready.ts (the app's own readiness and Docker's view of the containers): this only adds endpoints.
 */
import type { RepoConfig } from '../config/schema.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { action, type Step } from '../model/steps.ts';
import { poll } from '../run/poll.ts';
import { compareText } from '../text/compare.ts';

export interface Endpoint {
  service: string;
  url: string;
}

/** The endpoints to wait on, by service name: a full URL as given, a path on 127.0.0.1 and the service's port. */
export function serviceEndpoints(config: Pick<RepoConfig, 'services'>): Endpoint[] {
  return Object.entries(config.services ?? {})
    .flatMap(([service, s]) => {
      if (!s.health) return [];
      const url = s.health.startsWith('/') ? `http://127.0.0.1:${s.port}${s.health}` : s.health;
      return [{ service, url }];
    })
    .sort((a, b) => compareText(a.service, b.service));
}

/** One step that waits until every endpoint answers 2xx (none: no step), for at most `timeoutS` seconds in all. */
export function waitForServices(endpoints: readonly Endpoint[], timeoutS: number): Step[] {
  if (endpoints.length === 0) return [];
  return [
    action(
      'wait for the services',
      [...endpoints.map((e) => `poll ${e.url} (${e.service}) every 0.25 s until it answers 2xx`), `for up to ${timeoutS} s in all`],
      async (rt) => {
        const started = Date.now();
        const waiting = await Promise.all(
          endpoints.map(async (e) => {
            const r = await poll(async () => ((await answers(e.url)) ? true : undefined), { everyMs: 250, deadlineMs: timeoutS * 1000, signal: rt.signal });
            if (r.ok) rt.log(`ready: ${e.service} answered ${e.url} after ${(r.elapsedMs / 1000).toFixed(2)} s`);
            return r.ok ? undefined : e;
          }),
        );
        const late = waiting.filter((e): e is Endpoint => e !== undefined);
        if (late.length > 0) {
          throw new TaskError(
            ErrorCode.checkFailed,
            `${late.map((e) => `${e.service} did not answer ${e.url}`).join('; ')} within ${timeoutS} s (${((Date.now() - started) / 1000).toFixed(1)} s waited). Fix: check the service's logs (task logs ${late[0]?.service}), its published port, and its health path in tasks.config.ts services.`,
          );
        }
      },
    ),
  ];
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
