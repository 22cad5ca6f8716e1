/**
 * The verdict on a Docker daemon that accepts connections but never answers (a dockerd that is stopped with
 * SIGSTOP or stuck, a socket whose server hangs). The docker CLI waits for it without a deadline, and every fact
 * asked of it would wait its own, so the docker fact asks it once, for SILENT_DAEMON_MS, and a daemon silent that
 * long is not asked again: the facts that need it report it, and the engine check and `doctor` stop with the verdict.
 * The docker CLI's own version questions are asked with CLIENT_ONLY_ENV, which never reaches the daemon.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import type { DaemonAnswer } from './facts.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** How long the daemon may take to answer GET /version (or `docker version`) before it counts as silent. */
export const SILENT_DAEMON_MS = 10_000;

/** The variable that sets another wait (a slow remote daemon, a loaded machine), in milliseconds. */
export const DAEMON_TIMEOUT_VAR = 'PROMTIOR_TASKS_DAEMON_TIMEOUT_MS';

/** The wait for the daemon's first answer: $PROMTIOR_TASKS_DAEMON_TIMEOUT_MS, else SILENT_DAEMON_MS. */
export function silentDaemonMs(env: Env): number {
  const raw = env[DAEMON_TIMEOUT_VAR];
  if (raw === undefined || raw === '') return SILENT_DAEMON_MS;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(ms >= 100 && ms <= 600_000)) {
    throw new TaskError(
      ErrorCode.badConfig,
      `${DAEMON_TIMEOUT_VAR} is "${raw}": expected a whole number of milliseconds from 100 to 600000. Fix: set it so (default ${SILENT_DAEMON_MS}), or unset it.`,
    );
  }
  return ms;
}

/**
 * Variables that keep a `docker version` or `docker compose version` on the client: an address nothing listens at
 * (the CLI prints its own part and fails at once on the daemon's), no context and no TLS that could name another.
 */
export const CLIENT_ONLY_ENV: Readonly<Record<string, string>> = {
  DOCKER_HOST: 'unix:///nonexistent/promtior-tasks-client-only.sock',
  DOCKER_CONTEXT: '',
  DOCKER_TLS_VERIFY: '',
};

/**
 * The daemon's answer when it gave none within `ms`. `accepted`: whether it took the connection (known when Node
 * asked its socket; unknown when the docker CLI asked, over ssh or TLS).
 */
export function silentAnswer(host: string, ms: number, accepted?: boolean): DaemonAnswer {
  const seconds = Number.isInteger(ms / 1000) ? `${ms / 1000}` : (ms / 1000).toFixed(1);
  const what = accepted === undefined ? 'did not answer' : accepted ? 'accepted the connection but did not answer' : 'did not accept the connection';
  return { ok: false, host, error: `the Docker daemon at ${host} ${what} within ${seconds} s`, silent: true };
}

/** What to do about a silent daemon: the fix both the engine check and `doctor` give. */
export const SILENT_DAEMON_FIX = `restart dockerd (systemctl restart docker, or stop the hung dockerd and start it again), or check that DOCKER_HOST (or the docker context) names the daemon you mean; ${DAEMON_TIMEOUT_VAR} waits longer for a slow one`;

/** The run's error for a silent daemon, in one paragraph: the address, what it did not do, the fix. */
export function silentDaemonError(daemon: Extract<DaemonAnswer, { ok: false }>): TaskError {
  return new TaskError(
    ErrorCode.dockerUnavailable,
    `${daemon.error} (a hung dockerd: it is stopped or stuck, so every docker command would wait for it). Fix: ${SILENT_DAEMON_FIX}. Nothing was changed.`,
  );
}
