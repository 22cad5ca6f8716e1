/** Readiness against a real HTTP server on loopback; Docker's view of the containers is a recorded `docker ps`. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskError } from '../errors.ts';
import type { CommandSpec, RunContext } from '../model/steps.ts';
import { diagnose, parseState, psArgv, waitReady } from './wait-ready.ts';

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A server whose answer to each path is decided per request. */
async function serve(answer: (path: string, n: number) => [number, string]): Promise<string> {
  let n = 0;
  const server = http.createServer((req, res) => {
    const [status, body] = answer(req.url ?? '/', n++);
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function rt(ps: string, calls: CommandSpec[] = []): RunContext {
  return {
    exec: async (spec: CommandSpec) => {
      calls.push(spec);
      return { exitCode: 0, stdout: spec.argv.includes('ps') ? ps : 'app_1 | Traceback: boom', stderr: '' };
    },
    signal: new AbortController().signal,
  } as unknown as RunContext;
}

const RUNNING = 'app\trunning\tUp 1 second (health: starting)\nollama\trunning\tUp 1 second (healthy)\n';
const opts = (base: string) => ({
  readyUrl: `${base}/ready`,
  healthUrl: `${base}/health`,
  timeoutMs: 3000,
  dockerBin: 'docker',
  project: 'shop',
  logsArgv: ['docker-compose', 'logs'],
  cwd: '/',
  env: {},
});

describe('waitReady', () => {
  it('waits through 503 from /ready until it answers 200, asking Docker with one `docker ps`, not compose', async () => {
    const base = await serve((p, n) => (p === '/ready' && n >= 3 ? [200, '{"ready":true}'] : [503, '{"ready":false}']));
    const calls: CommandSpec[] = [];
    const ready = await waitReady(rt(RUNNING, calls), opts(base));
    expect(ready.url).toBe(`${base}/ready`);
    expect(ready.states).toEqual([
      { service: 'app', status: 'running', health: 'starting' },
      { service: 'ollama', status: 'running', health: 'healthy' },
    ]);
    expect(calls[0]?.argv).toEqual(psArgv('docker', 'shop'));
  });

  it('an app without /ready (404) is ready when its health endpoint answers', async () => {
    const base = await serve((p) => (p === '/health' ? [200, '{}'] : [404, 'not found']));
    expect((await waitReady(rt(RUNNING), opts(base))).url).toBe(`${base}/health`);
  });

  it('a container that exited stops the wait at once, with its logs and the likely cause', async () => {
    const base = await serve(() => [503, '{}']);
    const started = Date.now();
    const error = await waitReady(rt('app\texited\tExited (2) 1 second ago\nollama\trunning\tUp 2 seconds\n'), opts(base)).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(TaskError);
    expect((error as TaskError).message).toMatch(/^service app is exited\. Likely cause: the app exited: its last log lines below show why/);
    expect((error as TaskError).details).toContain('app_1 | Traceback: boom');
  });

  it('a timeout while /ready says 503 names what the app is waiting for', async () => {
    const body = JSON.stringify({ ready: false, checks: { ollama: { status: 'unreachable', detail: 'cannot reach Ollama at http://ollama:11434' } } });
    const base = await serve(() => [503, body]);
    const error = (await waitReady(rt(RUNNING), { ...opts(base), timeoutMs: 400 }).catch((e: unknown) => e)) as TaskError;
    expect(error.message).toBe(
      `the app did not answer ${base}/ready with 200 within 0.4 s. Likely cause: the app runs but is not ready: ollama: cannot reach Ollama at http://ollama:11434 (its answer to /ready).`,
    );
  });
});

describe('docker ps lines and the diagnosis', () => {
  it('reads state and health from the status text', () => {
    expect(parseState('app\trunning\tUp 3 seconds (health: starting)')).toEqual({ service: 'app', status: 'running', health: 'starting' });
    expect(parseState('app\trunning\tUp 3 minutes (unhealthy)')).toEqual({ service: 'app', status: 'running', health: 'unhealthy' });
    expect(parseState('ollama\trestarting\tRestarting (1) 2 seconds ago')).toEqual({ service: 'ollama', status: 'restarting', health: 'none' });
  });

  it('any line gives a state, never an exception', () => {
    fc.assert(
      fc.property(fc.string(), (line) => {
        expect(['healthy', 'unhealthy', 'starting', 'none']).toContain(parseState(line).health);
      }),
    );
  });

  it('an Ollama that is down is its own problem: the app runs without it (no "never started")', () => {
    const text = diagnose({ service: 'ollama', status: 'exited', health: 'none' }, [{ service: 'ollama', status: 'exited', health: 'none' }]);
    expect(text).toBe("Ollama is exited; the app keeps running and asking it, and /ready answers 503 until Ollama answers: read Ollama's log lines below");
    expect(text).not.toMatch(/never started/);
  });
});
