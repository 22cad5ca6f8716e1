/**
 * The registry fact's HTTP side against stand-in daemons: a unix socket that answers like dockerd's
 * /distribution endpoint, and a TCP server that accepts and never answers (a registry that hangs). The real
 * daemon and registry are exercised end to end in test/docker/registry-images.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonEndpoint, daemonGet } from './daemon-api.ts';
import { pullAnswer } from './registry.ts';

describe('daemonEndpoint', () => {
  it('reaches unix sockets and plain tcp; says why for TLS and ssh', () => {
    expect(daemonEndpoint('unix:///var/run/docker.sock')).toEqual({ socketPath: '/var/run/docker.sock', shown: 'unix:///var/run/docker.sock' });
    expect(daemonEndpoint('tcp://10.0.0.2:2375')).toEqual({ host: '10.0.0.2', port: 2375, shown: 'tcp://10.0.0.2:2375' });
    expect(daemonEndpoint('tcp://10.0.0.2:2376', '1')).toEqual({ unsupported: expect.stringContaining('DOCKER_TLS_VERIFY') });
    expect(daemonEndpoint('ssh://me@host')).toEqual({ unsupported: expect.stringContaining('ssh://me@host') });
  });
});

describe('pullAnswer: the daemon reply as an answer', () => {
  it('a descriptor is pullable; a registry error is the registry speaking; a network error is not', () => {
    expect(pullAnswer({ status: 200, body: '{"Descriptor":{"digest":"sha256:abc"},"Platforms":[]}' }, 7)).toEqual({ ok: true, digest: 'sha256:abc', ms: 7 });
    expect(pullAnswer({ status: 404, body: '{"message":"manifest unknown: manifest unknown"}' }, 3)).toMatchObject({
      ok: false,
      answered: true,
      error: 'manifest unknown: manifest unknown',
    });
    expect(pullAnswer({ status: 500, body: '{"message":"Get \\"https://ghcr.io/v2/\\": dial tcp: lookup ghcr.io: no such host"}\n' }, 3)).toMatchObject({
      ok: false,
      answered: false,
      timedOut: false,
      error: 'Get "https://ghcr.io/v2/": dial tcp: lookup ghcr.io: no such host',
    });
    expect(pullAnswer({ error: 'no answer within 3.0 s', timedOut: true }, 3001)).toMatchObject({ ok: false, timedOut: true });
    expect(pullAnswer({ status: 502, body: 'bad gateway' }, 1)).toMatchObject({ ok: false, error: 'bad gateway' });
  });
});

describe('daemonGet', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'daemon-api-'));
  const socketPath = path.join(dir, 'docker.sock');
  const paths: string[] = [];
  const daemon = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(req.url?.includes('nosuch') ? 404 : 200, { 'content-type': 'application/json' });
    res.end(req.url?.includes('nosuch') ? '{"message":"manifest unknown"}' : '{"Descriptor":{"digest":"sha256:1"}}');
  });
  // Accepts the connection and never says a word: what a registry behind a black hole looks like to a client.
  const silent = net.createServer(() => {});
  let silentPort = 0;

  beforeAll(async () => {
    await new Promise<void>((r) => daemon.listen(socketPath, r));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as net.AddressInfo).port;
  });
  afterAll(() => {
    daemon.close();
    silent.close();
  });

  it('asks the daemon over its unix socket, the reference in the path as the API wants it', async () => {
    const ep = daemonEndpoint(`unix://${socketPath}`);
    if ('unsupported' in ep) throw new Error('unix sockets are supported');
    expect(await daemonGet(ep, '/distribution/ghcr.io/astral-sh/uv:0.9/json', 1000)).toEqual({ status: 200, body: '{"Descriptor":{"digest":"sha256:1"}}' });
    expect(paths).toContain('/distribution/ghcr.io/astral-sh/uv:0.9/json');
    expect(await daemonGet(ep, '/distribution/nosuch/json', 1000)).toMatchObject({ status: 404 });
  });

  it('gives up on a peer that never answers at the deadline, not later', async () => {
    const started = Date.now();
    const reply = await daemonGet({ host: '127.0.0.1', port: silentPort, shown: 'silent' }, '/distribution/x/json', 300);
    const took = Date.now() - started;
    expect(reply).toEqual({ error: 'no answer within 0.3 s', timedOut: true, accepted: true });
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(2000);
  });

  it('a socket nobody listens on is an error at once', async () => {
    expect(await daemonGet({ socketPath: path.join(dir, 'none.sock'), shown: 'none' }, '/x', 1000)).toMatchObject({ timedOut: false, error: /ENOENT/ });
  });
});
