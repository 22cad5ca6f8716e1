/**
 * Readiness: the app's own /ready endpoint (200 only once its dependencies answer), polled every 100 ms, together
 * with Docker's view of every container of the project (state and health, one `docker ps` a second: compose v1's
 * `ps` costs a Python start-up each time). Docker's health status lags by up to `interval` while the app answers
 * within a second, so the endpoint decides readiness; Docker's status decides failure early: a container that
 * exited or turned unhealthy stops the wait with its last log lines and the cause. An app without /ready (404) is
 * ready when its health endpoint answers.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import type { RunContext } from '../model/steps.ts';
import { poll } from '../run/poll.ts';
import { compareText } from '../text/compare.ts';

export interface ServiceState {
  service: string;
  status: string;
  health: string;
}

export interface WaitOptions {
  /** The app's readiness endpoint (`/ready`). */
  readyUrl: string;
  /** Polled instead when the app answers the readiness endpoint with 404. */
  healthUrl: string;
  timeoutMs: number;
  dockerBin: string;
  /** Compose project name: its containers carry the label com.docker.compose.project=<name>. */
  project: string;
  /** `compose logs --tail N` argv, without service names. */
  logsArgv: readonly string[];
  cwd: string;
  env: Record<string, string>;
}

export interface Ready {
  readyMs: number;
  /** The URL that answered 200 (the readiness endpoint, or the health one for an app without it). */
  url: string;
  states: ServiceState[];
}

/** `docker ps` format: service, state, and the status text that carries the health ("Up 2 s (health: starting)"). */
const PS_FORMAT = '{{.Label "com.docker.compose.service"}}\t{{.State}}\t{{.Status}}';

/** The `docker ps` argv listing the project's service containers (one-off `compose run` containers left out). */
export function psArgv(dockerBin: string, project: string): string[] {
  return [
    dockerBin,
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--filter',
    'label=com.docker.compose.oneoff=False',
    '--format',
    PS_FORMAT,
  ];
}

/** One line of `docker ps --format PS_FORMAT` as a state. */
export function parseState(line: string): ServiceState {
  const [service = '?', status = '?', text = ''] = line.split('\t');
  const health = /\(healthy\)/.test(text) ? 'healthy' : /\(unhealthy\)/.test(text) ? 'unhealthy' : /\(health: starting\)/.test(text) ? 'starting' : 'none';
  return { service, status, health };
}

export async function serviceStates(rt: RunContext, o: Pick<WaitOptions, 'dockerBin' | 'project' | 'cwd'>): Promise<ServiceState[]> {
  const out = await rt.exec({ argv: psArgv(o.dockerBin, o.project), cwd: o.cwd }, { quiet: true });
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map(parseState)
    .sort((a, b) => compareText(a.service, b.service));
}

type Answer = { status: number; body: string } | undefined;

export async function waitReady(rt: RunContext, o: WaitOptions): Promise<Ready> {
  let lastStates: ServiceState[] = [];
  let url = o.readyUrl;
  let last: Answer;
  // The endpoint every 100 ms; Docker's view of the containers every tenth time (once a second).
  const waited = await poll(
    async (attempt) => {
      last = await ask(url);
      if (last?.status === 404 && url === o.readyUrl) {
        url = o.healthUrl;
        last = await ask(url);
      }
      if (last?.status === 200) return true;
      if (attempt % 10 === 0) {
        lastStates = await serviceStates(rt, o);
        const broken = lastStates.find((s) => ['exited', 'dead', 'restarting'].includes(s.status) || s.health === 'unhealthy');
        if (broken)
          throw await failure(rt, o, broken, lastStates, `service ${broken.service} is ${broken.status === 'running' ? 'unhealthy' : broken.status}`, last);
      }
      return undefined;
    },
    { everyMs: 100, deadlineMs: o.timeoutMs, signal: rt.signal },
  );
  if (waited.ok) return { readyMs: waited.elapsedMs, url, states: await serviceStates(rt, o) };
  const waiting = lastStates.find((s) => s.health === 'starting' || s.status !== 'running') ?? lastStates.find((s) => s.service === 'app');
  throw await failure(rt, o, waiting, lastStates, `the app did not answer ${url} with 200 within ${o.timeoutMs / 1000} s`, last);
}

/** The HTTP status `url` answers with, or undefined when nothing answers. */
export async function statusOf(url: string): Promise<number | undefined> {
  return (await ask(url))?.status;
}

async function ask(url: string): Promise<Answer> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return { status: res.status, body: (await res.text()).slice(0, 2000) };
  } catch {
    return undefined;
  }
}

/** The seed's troubleshooting section, as a diagnosis: the likely cause and the fix for what was seen. */
export function diagnose(culprit: ServiceState | undefined, states: readonly ServiceState[], last?: Answer): string {
  if (!culprit || states.length === 0) return 'no container of the project is running: check that `compose up` succeeded (see its output above)';
  if (culprit.service === 'ollama') {
    return `Ollama is ${culprit.status === 'running' ? 'unhealthy' : culprit.status}; the app keeps running and asking it, and /ready answers 503 until Ollama answers: read Ollama's log lines below`;
  }
  if (culprit.status === 'exited' || culprit.status === 'restarting')
    return 'the app exited: its last log lines below show why (a missing variable, a port in use, an import error)';
  if (last?.status === 503) return `the app runs but is not ready: ${notReadyBecause(last.body)}`;
  if (culprit.health === 'starting') {
    return 'the app is still inside its healthcheck start period: if it is only slow to start (model or ChromaDB loading), raise --timeout and APP_HEALTH_START_PERIOD';
  }
  return 'the app answers its healthcheck with an error: read its log lines below';
}

/** What a 503 from /ready says is missing (the example app names each check and its detail). */
function notReadyBecause(body: string): string {
  try {
    const checks = (JSON.parse(body) as { checks?: Record<string, { status?: string; detail?: string }> }).checks ?? {};
    const failing = Object.entries(checks).filter(([, c]) => c.status !== 'ok');
    if (failing.length > 0) return `${failing.map(([name, c]) => `${name}: ${c.detail ?? c.status}`).join('; ')} (its answer to /ready)`;
  } catch {
    // Not the example app's JSON: say what it answered.
  }
  return `it answered /ready with 503: ${body.slice(0, 200)}`;
}

async function failure(
  rt: RunContext,
  o: WaitOptions,
  culprit: ServiceState | undefined,
  states: ServiceState[],
  what: string,
  last: Answer,
): Promise<TaskError> {
  const logs = await rt.exec({ argv: [...o.logsArgv, ...(culprit ? [culprit.service] : [])], cwd: o.cwd, env: o.env }, { quiet: true, okExitCodes: [1] });
  const lines = `${logs.stdout}\n${logs.stderr}`.split('\n').filter(Boolean).slice(-30);
  return new TaskError(ErrorCode.checkFailed, `${what}. Likely cause: ${diagnose(culprit, states, last)}.`, {
    details: [
      'services:',
      ...states.map((s) => `  ${s.service}: ${s.status}, health ${s.health}`),
      `last log lines${culprit ? ` of ${culprit.service}` : ''}:`,
      ...lines,
    ],
  });
}
