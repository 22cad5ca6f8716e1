/**
 * One GET to the Docker daemon's HTTP API, with a deadline. The CLI has no command for what the registry fact asks
 * (`GET /distribution/{ref}/json`: "could you pull this?", answered by the daemon with its own mirrors, proxy and
 * DNS, without pulling), so the fact speaks to the daemon's socket itself. Read-only, never a process.
 */
import http from 'node:http';

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

export function daemonGet(endpoint: DaemonEndpoint, path: string, deadlineMs: number): Promise<DaemonReply> {
  return new Promise((resolve) => {
    const where = 'socketPath' in endpoint ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port };
    const req = http.get({ ...where, path, headers: { host: 'docker' } }, (res) => {
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
