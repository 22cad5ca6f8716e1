/**
 * Readiness: poll the app's health endpoint ourselves (Docker's own health status lags by up to `interval`,
 * 30 s with the seed's settings, while the app answers within a second). On timeout: the services' state and the
 * last log lines, and a non-zero exit.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import type { RunContext } from '../model/steps.ts';

export interface WaitOptions {
  url: string;
  timeoutMs: number;
  psArgv: readonly string[];
  logsArgv: readonly string[];
  cwd: string;
}

export async function waitHealthy(rt: RunContext, o: WaitOptions): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < o.timeoutMs) {
    if (rt.signal.aborted) throw rt.signal.reason;
    try {
      const res = await fetch(o.url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) {
        const ms = Date.now() - started;
        rt.log(`ready: ${o.url} answered ${res.status} after ${(ms / 1000).toFixed(2)} s`);
        const ps = await rt.exec({ argv: o.psArgv, cwd: o.cwd }, { quiet: true });
        for (const line of ps.stdout.split('\n').filter(Boolean)) rt.log(line);
        return ms;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const ps = await rt.exec({ argv: o.psArgv, cwd: o.cwd }, { quiet: true, okExitCodes: [1] });
  const logs = await rt.exec({ argv: o.logsArgv, cwd: o.cwd }, { quiet: true, okExitCodes: [1] });
  throw new TaskError(
    ErrorCode.checkFailed,
    `the app did not answer ${o.url} within ${o.timeoutMs / 1000} s. Fix: read the logs below; if the app only starts slowly, raise --timeout and the healthcheck's start_period`,
    {
      details: [...ps.stdout.split('\n'), ...`${logs.stdout}\n${logs.stderr}`.split('\n').slice(-30)].filter(Boolean),
    },
  );
}
