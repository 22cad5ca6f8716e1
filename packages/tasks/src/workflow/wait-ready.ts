/**
 * Readiness: the app's own /health endpoint, polled every 250 ms, together with Docker's view of every container
 * of the project (state and health). Docker's health status lags by up to `interval` (30 s with the seed's
 * settings) while the app answers within a second, so the endpoint decides readiness; Docker's status decides
 * failure early: a container that exited or turned unhealthy stops the wait with its last log lines and the cause.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import type { RunContext } from '../model/steps.ts';
import { poll } from '../run/poll.ts';

export interface ServiceState {
  service: string;
  status: string;
  health: string;
}

export interface WaitOptions {
  url: string;
  timeoutMs: number;
  dockerBin: string;
  /** `compose ps -q` argv: the project's container ids. */
  psArgv: readonly string[];
  /** `compose logs --tail N` argv, without service names. */
  logsArgv: readonly string[];
  cwd: string;
  env: Record<string, string>;
}

export async function serviceStates(rt: RunContext, o: Pick<WaitOptions, 'dockerBin' | 'psArgv' | 'cwd' | 'env'>): Promise<ServiceState[]> {
  const ids = (await rt.exec({ argv: o.psArgv, cwd: o.cwd, env: o.env }, { quiet: true })).stdout.split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  const format = '{{index .Config.Labels "com.docker.compose.service"}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}';
  const out = await rt.exec({ argv: [o.dockerBin, 'inspect', '--format', format, ...ids], cwd: o.cwd }, { quiet: true });
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [service = '?', status = '?', health = 'none'] = line.split(' ');
      return { service, status, health };
    });
}

export async function waitReady(rt: RunContext, o: WaitOptions): Promise<{ readyMs: number; states: ServiceState[] }> {
  let lastStates: ServiceState[] = [];
  // The endpoint every 250 ms; Docker's view of the containers every fourth time (once a second).
  const waited = await poll(
    async (attempt) => {
      if (await answers(o.url)) return true;
      if (attempt % 4 === 0) {
        lastStates = await serviceStates(rt, o);
        const broken = lastStates.find((s) => ['exited', 'dead', 'restarting'].includes(s.status) || s.health === 'unhealthy');
        if (broken) throw await failure(rt, o, broken, lastStates, `service ${broken.service} is ${broken.status === 'running' ? 'unhealthy' : broken.status}`);
      }
      return undefined;
    },
    { everyMs: 250, deadlineMs: o.timeoutMs, signal: rt.signal },
  );
  if (waited.ok) return { readyMs: waited.elapsedMs, states: await serviceStates(rt, o) };
  const waiting = lastStates.find((s) => s.health === 'starting' || s.status !== 'running') ?? lastStates.find((s) => s.service === 'app');
  throw await failure(rt, o, waiting, lastStates, `the app did not answer ${o.url} within ${o.timeoutMs / 1000} s`);
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

/** The seed's troubleshooting section, as a diagnosis: the likely cause and the fix for what was seen. */
export function diagnose(culprit: ServiceState | undefined, states: readonly ServiceState[]): string {
  if (!culprit || states.length === 0) return 'no container of the project is running: check that `compose up` succeeded (see its output above)';
  if (culprit.service === 'ollama') return 'Ollama is not healthy, so the app (which depends on it) was never started: read its log lines below';
  if (culprit.health === 'starting') {
    return 'the app is still inside its healthcheck start period: if it is only slow to start (model or ChromaDB loading), raise --timeout and APP_HEALTH_START_PERIOD';
  }
  if (culprit.status === 'exited' || culprit.status === 'restarting')
    return 'the app exited: its last log lines below show why (a missing variable, a port in use, an import error)';
  return 'the app answers its healthcheck with an error: read its log lines below';
}

async function failure(rt: RunContext, o: WaitOptions, culprit: ServiceState | undefined, states: ServiceState[], what: string): Promise<TaskError> {
  const logs = await rt.exec({ argv: [...o.logsArgv, ...(culprit ? [culprit.service] : [])], cwd: o.cwd, env: o.env }, { quiet: true, okExitCodes: [1] });
  const lines = `${logs.stdout}\n${logs.stderr}`.split('\n').filter(Boolean).slice(-30);
  return new TaskError(ErrorCode.checkFailed, `${what}. Likely cause: ${diagnose(culprit, states)}.`, {
    details: [
      'services:',
      ...states.map((s) => `  ${s.service}: ${s.status}, health ${s.health}`),
      `last log lines${culprit ? ` of ${culprit.service}` : ''}:`,
      ...lines,
    ],
  });
}
