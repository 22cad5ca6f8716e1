import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskError } from '../errors.ts';
import { daemonGet, prefetch, resetPrefetch } from './daemon-get.cjs';
import { gatherDocker } from './docker.ts';
import { factStore } from './gather.ts';
import { SILENT_DAEMON_MS, silentAnswer, silentDaemonError, silentDaemonMs } from './silent-daemon.ts';

let dir: string;
let server: Server;
let socketPath: string;
const held: Socket[] = [];

// A daemon that takes every connection and never answers (a SIGSTOPped dockerd).
beforeEach(async () => {
  resetPrefetch();
  dir = mkdtempSync(path.join(tmpdir(), 'silent-'));
  socketPath = path.join(dir, 'd.sock');
  server = createServer((c) => {
    c.on('error', () => {});
    held.push(c);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterEach(async () => {
  resetPrefetch();
  for (const c of held.splice(0)) c.destroy();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('silentDaemonMs', () => {
  it('is 10 s unless PROMTIOR_TASKS_DAEMON_TIMEOUT_MS says otherwise', () => {
    expect(silentDaemonMs({})).toBe(SILENT_DAEMON_MS);
    expect(SILENT_DAEMON_MS).toBe(10_000);
    expect(silentDaemonMs({ PROMTIOR_TASKS_DAEMON_TIMEOUT_MS: '' })).toBe(SILENT_DAEMON_MS);
    expect(silentDaemonMs({ PROMTIOR_TASKS_DAEMON_TIMEOUT_MS: '2500' })).toBe(2500);
  });

  it.each(['10s', '-1', '0', '99', '1e4', '600001', ' 5000'])('refuses %j, naming the variable', (raw) => {
    expect(() => silentDaemonMs({ PROMTIOR_TASKS_DAEMON_TIMEOUT_MS: raw })).toThrow(TaskError);
    expect(() => silentDaemonMs({ PROMTIOR_TASKS_DAEMON_TIMEOUT_MS: raw })).toThrow(`PROMTIOR_TASKS_DAEMON_TIMEOUT_MS is "${raw}"`);
  });
});

describe('a fact store with a bad PROMTIOR_TASKS_DAEMON_TIMEOUT_MS', () => {
  it('refuses it before any fact asks the (silent) daemon: the daemon sees no connection', async () => {
    const store = factStore({ cwd: dir, env: { PROMTIOR_TASKS_DAEMON_TIMEOUT_MS: 'abc', DOCKER_HOST: `unix://${socketPath}` }, cacheRoot: dir });
    await expect(store.gather(['images', 'docker'])).rejects.toThrow('PROMTIOR_TASKS_DAEMON_TIMEOUT_MS is "abc"');
    // Time for a connection that was started to reach the server (a local socket: well under a millisecond).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(held).toEqual([]);
  });
});

describe('the verdict', () => {
  it('names the address, what the daemon did not do, the wait and the fix, in one paragraph', () => {
    const answer = silentAnswer('unix:///run/x.sock', 10_000, true);
    expect(answer).toEqual({ ok: false, silent: true, host: 'unix:///run/x.sock', error: expect.any(String) });
    if (answer.ok) throw new Error('unreachable');
    const error = silentDaemonError(answer);
    expect(error.code).toBe('DOCKER_UNAVAILABLE');
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(
      /^the Docker daemon at unix:\/\/\/run\/x\.sock accepted the connection but did not answer within 10 s .*Fix: restart dockerd .*DOCKER_HOST.*Nothing was changed\.$/,
    );
    expect(error.message).not.toContain('\n');
    expect(silentAnswer('tcp://10.0.0.9:2375', 1500, false)).toMatchObject({
      error: 'the Docker daemon at tcp://10.0.0.9:2375 did not accept the connection within 1.5 s',
    });
    expect(silentAnswer('ssh://me@host', 2000)).toMatchObject({ error: 'the Docker daemon at ssh://me@host did not answer within 2 s' });
  });
});

describe('the docker fact with a silent daemon', () => {
  it('gives the verdict after the wait, without asking the CLI', async () => {
    const started = Date.now();
    // No client on PATH: the daemon's answer is the socket's alone.
    const facts = await gatherDocker({ PATH: '' }, dir, { address: `unix://${socketPath}`, silentMs: 300 });
    const took = Date.now() - started;
    expect(facts.daemon).toMatchObject({
      ok: false,
      silent: true,
      error: `the Docker daemon at unix://${socketPath} accepted the connection but did not answer within 0.3 s`,
    });
    expect(facts.api).toBeUndefined();
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(3000);
  });

  it('a question sent ahead with a shorter deadline is asked afresh, never given up on sooner than asked', async () => {
    const endpoint = { socketPath, shown: 'silent' };
    await prefetch([{ socketPath, path: '/version', deadlineMs: 50 }]);
    const started = Date.now();
    const reply = await daemonGet(endpoint, '/version', 400);
    expect(reply).toMatchObject({ error: 'no answer within 0.4 s', timedOut: true, accepted: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });
});
