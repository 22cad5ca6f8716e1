/**
 * GETs to the Docker daemon's HTTP API, with a deadline. The CLI has no command for what the registry fact asks
 * (`GET /distribution/{ref}/json`: "could you pull this?", answered by the daemon with its own mirrors, proxy and
 * DNS, without pulling), and every `docker` process costs 30-300 ms to start here, so the facts a run needs (the
 * daemon's version, the images, an image's labels, the mirrors) are asked of the daemon's socket directly when it
 * is one Node can reach. Read-only, never a process; where the socket cannot be used the callers run the CLI.
 */
import type { IncomingMessage } from 'node:http';

/** Where the daemon listens, as Node can reach it: a unix socket or plain TCP. */
export type DaemonEndpoint = { socketPath: string; shown: string } | { host: string; port: number; shown: string };

export type DaemonReply = { status: number; body: string } | { error: string; timedOut: boolean };

/** The endpoint of `DOCKER_HOST`-style address, or why Node cannot ask it (TLS, ssh: the docker CLI's own business). */
export function daemonEndpoint(address: string, tlsVerify?: string): DaemonEndpoint | { unsupported: string } {
  if (address.startsWith('unix://')) return { socketPath: address.slice('unix://'.length), shown: address };
  const tcp = /^tcp:\/\/([^:/]+):(\d+)\/?$/.exec(address);
  if (tcp && !tlsVerify) return { host: tcp[1] as string, port: Number(tcp[2]), shown: address };
  return { unsupported: `${address}${tlsVerify ? ' with DOCKER_TLS_VERIFY' : ''} (only unix sockets and plain tcp are asked directly)` };
}

// `import http from 'node:http'` builds the module's ES facade, which reads every export, lazy ones included: that
// loads undici (fetch, WebSocket), ~25 ms of a run that never uses it. getBuiltinModule hands over the CJS object.
const http = () => process.getBuiltinModule('node:http') as typeof import('node:http');

export function daemonGet(endpoint: DaemonEndpoint, path: string, deadlineMs: number): Promise<DaemonReply> {
  return new Promise((resolve) => {
    const where = 'socketPath' in endpoint ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port };
    const req = http().get({ ...where, path, headers: { host: 'docker' } }, (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ error: `no answer within ${(deadlineMs / 1000).toFixed(1)} s`, timedOut: true });
    }, deadlineMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      resolve({ error: error.message, timedOut: false });
    });
  });
}

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
