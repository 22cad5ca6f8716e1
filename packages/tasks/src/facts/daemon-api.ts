/**
 * GETs to the Docker daemon's HTTP API, with a deadline. The CLI has no command for what the registry fact asks
 * (`GET /distribution/{ref}/json`: "could you pull this?", answered by the daemon with its own mirrors, proxy and
 * DNS, without pulling), and every `docker` process costs 30-300 ms to start here, so the facts a run needs (the
 * daemon's version, the images, an image's labels, the mirrors) are asked of the daemon's socket directly when it
 * is one Node can reach. Read-only, never a process; where the socket cannot be used the callers run the CLI.
 */
import { daemonGet, parseReply } from './daemon-get.cjs';

/** Where the daemon listens, as Node can reach it: a unix socket or plain TCP. */
export type DaemonEndpoint = { socketPath: string; shown: string } | { host: string; port: number; shown: string };

export type DaemonReply = { status: number; body: string } | { error: string; timedOut: boolean; accepted?: boolean };

/** The endpoint of `DOCKER_HOST`-style address, or why Node cannot ask it (TLS, ssh: the docker CLI's own business). */
export function daemonEndpoint(address: string, tlsVerify?: string): DaemonEndpoint | { unsupported: string } {
  if (address.startsWith('unix://')) return { socketPath: address.slice('unix://'.length), shown: address };
  const tcp = /^tcp:\/\/([^:/]+):(\d+)\/?$/.exec(address);
  if (tcp && !tlsVerify) return { host: tcp[1] as string, port: Number(tcp[2]), shown: address };
  return { unsupported: `${address}${tlsVerify ? ' with DOCKER_TLS_VERIFY' : ''} (only unix sockets and plain tcp are asked directly)` };
}

// Plain HTTP/1.0 over node:net rather than node:http: the daemon (Go's net/http) then answers without chunking and
// closes the connection, so the reply is everything up to the close. (Our side is not half-closed: Go takes that
// for a client that went away and cancels the request.) Measured here: ~16 ms a question against
// ~30 ms through http.get, whose ES facade also loads undici (~25 ms) for nothing. The GET itself lives in
// daemon-get.cjs, which also sends a run's usual questions ahead while the CLI starts (its prefetch).
export { daemonGet, parseReply };

/** How long a direct question may take before the caller asks the CLI instead (a socket that does not answer). */
export const DIRECT_DEADLINE_MS = 2000;

/**
 * The daemon's JSON answer to `path`: the parsed body of a 200, `{ status }` for another answer (404: no such
 * image), or undefined when the daemon could not be asked (no answer in time, a refused or missing socket, not
 * JSON). Undefined means "ask the CLI", which says in its own words what is wrong.
 */
export async function daemonJson(address: string, path: string, deadlineMs = DIRECT_DEADLINE_MS): Promise<{ json: unknown } | { status: number } | undefined> {
  const endpoint = daemonEndpoint(address);
  if ('unsupported' in endpoint) return undefined;
  const reply = await daemonGet(endpoint, path, deadlineMs);
  if ('error' in reply) return undefined;
  if (reply.status !== 200) return { status: reply.status };
  try {
    return { json: JSON.parse(reply.body) as unknown };
  } catch {
    return undefined;
  }
}
