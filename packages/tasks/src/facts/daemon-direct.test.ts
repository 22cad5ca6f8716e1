import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { clientCache, pluginDirs } from './client-cache.ts';
import { DEFAULT_DAEMON, directDaemonAddress } from './daemon-address.ts';
import { daemonJson, parseReply } from './daemon-api.ts';
import { mayBeInGit } from './git.ts';
import { imagesFromApi } from './images.ts';

const dirs: string[] = [];
const servers: Server[] = [];
const temp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'daemon-direct-'));
  dirs.push(d);
  return d;
};
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A unix socket speaking just enough HTTP: `reply` gives the status and body for a path, or never answers. */
async function fakeSocket(reply: (url: string) => { status: number; body: string } | 'hang'): Promise<string> {
  const sock = path.join(temp(), 'd.sock');
  const server = createServer((c) => {
    c.on('data', (data) => {
      const url = /^GET (\S+)/.exec(data.toString())?.[1] ?? '';
      const r = reply(url);
      if (r === 'hang') return;
      c.end(`HTTP/1.1 ${r.status} X\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(r.body)}\r\nConnection: close\r\n\r\n${r.body}`);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(sock, r));
  return `unix://${sock}`;
}

describe('the daemon address, as the docker CLI would pick it', () => {
  it('DOCKER_HOST wins; ssh:// and TLS are left to the CLI', () => {
    const home = temp();
    expect(directDaemonAddress({ HOME: home, DOCKER_HOST: 'unix:///x.sock' })).toBe('unix:///x.sock');
    expect(directDaemonAddress({ HOME: home, DOCKER_HOST: 'tcp://10.0.0.2:2375' })).toBe('tcp://10.0.0.2:2375');
    expect(directDaemonAddress({ HOME: home, DOCKER_HOST: 'tcp://10.0.0.2:2376', DOCKER_TLS_VERIFY: '1' })).toBeUndefined();
    expect(directDaemonAddress({ HOME: home, DOCKER_HOST: 'ssh://me@box' })).toBeUndefined();
  });

  it('the default socket when no context is chosen, else the context’s own endpoint (never one with TLS files)', () => {
    const home = temp();
    expect(directDaemonAddress({ HOME: home })).toBe(DEFAULT_DAEMON);
    const config = path.join(home, '.docker');
    mkdirSync(config);
    writeFileSync(path.join(config, 'config.json'), JSON.stringify({ currentContext: 'remote' }));
    // A context that is not there: the CLI reports that, not us.
    expect(directDaemonAddress({ HOME: home })).toBeUndefined();
    const id = createHash('sha256').update('remote').digest('hex');
    mkdirSync(path.join(config, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(
      path.join(config, 'contexts', 'meta', id, 'meta.json'),
      JSON.stringify({ Name: 'remote', Endpoints: { docker: { Host: 'unix:///run/other.sock' } } }),
    );
    expect(directDaemonAddress({ HOME: home })).toBe('unix:///run/other.sock');
    expect(directDaemonAddress({ HOME: home, DOCKER_CONTEXT: 'default' })).toBe(DEFAULT_DAEMON);
    mkdirSync(path.join(config, 'contexts', 'tls', id), { recursive: true });
    expect(directDaemonAddress({ HOME: home })).toBeUndefined();
    writeFileSync(path.join(config, 'config.json'), '{ broken');
    expect(directDaemonAddress({ HOME: home })).toBeUndefined();
  });
});

describe('asking the daemon directly', () => {
  it('returns the JSON of a 200 and the status of another answer', async () => {
    const address = await fakeSocket((url) =>
      url === '/version' ? { status: 200, body: '{"Version":"20.10.24","ApiVersion":"1.41"}' } : { status: 404, body: '{"message":"no such image"}' },
    );
    expect(await daemonJson(address, '/version')).toEqual({ json: { Version: '20.10.24', ApiVersion: '1.41' } });
    expect(await daemonJson(address, '/images/x:1/json')).toEqual({ status: 404 });
  });

  it('gives up (so the CLI is asked) on a socket that does not answer, is not there, or speaks no JSON', async () => {
    const hang = await fakeSocket(() => 'hang');
    const started = Date.now();
    expect(await daemonJson(hang, '/version', 200)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await daemonJson(`unix://${path.join(temp(), 'none.sock')}`, '/version')).toBeUndefined();
    const html = await fakeSocket(() => ({ status: 200, body: '<html>' }));
    expect(await daemonJson(html, '/version')).toBeUndefined();
    expect(await daemonJson('ssh://me@box', '/version')).toBeUndefined();
  });
});

describe('the reply, as read off the socket', () => {
  it('takes the status and body; decodes a chunked body; names what is not HTTP', () => {
    expect(parseReply('HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"a":1}')).toEqual({ status: 200, body: '{"a":1}' });
    expect(parseReply('HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"m"\r\n3\r\n:1}\r\n0\r\n\r\n')).toEqual({
      status: 404,
      body: '{"m":1}',
    });
    expect(parseReply('')).toEqual({ error: 'the connection closed without an answer', timedOut: false });
    expect(parseReply('SSH-2.0-OpenSSH\r\n')).toEqual({ error: 'not an HTTP answer', timedOut: false });
  });

  it('never throws on whatever comes back', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), (tail, chunked) => {
        const r = parseReply(`HTTP/1.1 200 OK\r\n${chunked ? 'Transfer-Encoding: chunked\r\n' : ''}\r\n${tail}`);
        expect('status' in r && r.status === 200).toBe(true);
        parseReply(tail);
      }),
    );
  });
});

describe('images from the API', () => {
  it('lists one row per tag, as docker image ls does, untagged images left out', () => {
    expect(
      imagesFromApi([
        { Id: 'sha256:a', RepoTags: ['python:3.12-slim', 'localhost:5000/py:1'] },
        { Id: 'sha256:b', RepoTags: ['<none>:<none>'] },
        { Id: 'sha256:c', RepoTags: null },
      ]),
    ).toEqual({ 'python:3.12-slim': 'sha256:a', 'localhost:5000/py:1': 'sha256:a' });
    expect(imagesFromApi({ message: 'x' })).toBeUndefined();
  });

  it('never throws on whatever the daemon sends', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = imagesFromApi(v);
        expect(r === undefined || typeof r === 'object').toBe(true);
      }),
    );
  });
});

describe('the docker client cache', () => {
  it('remembers a client until the binary or a buildx plugin changes', () => {
    const home = temp();
    const root = temp();
    chmodSync(root, 0o700);
    const bin = path.join(temp(), 'docker');
    writeFileSync(bin, '#!/bin/sh\n', { mode: 0o755 });
    const env = { HOME: home };
    clientCache(root, env).save([{ bin, version: '20.10.24', hasBuildx: false }]);
    expect(clientCache(root, env).get(bin)).toEqual({ bin, version: '20.10.24', hasBuildx: false });
    // A plugin appears in the user's folder: the client must be asked again.
    const plugins = pluginDirs(env)[0] as string;
    mkdirSync(plugins, { recursive: true });
    writeFileSync(path.join(plugins, 'docker-buildx'), 'x', { mode: 0o755 });
    expect(clientCache(root, env).get(bin)).toBeUndefined();
    clientCache(root, env).save([{ bin, version: '20.10.24', hasBuildx: true }]);
    expect(clientCache(root, env).get(bin)?.hasBuildx).toBe(true);
    // The binary is replaced (an upgrade): asked again.
    utimesSync(bin, new Date(2000, 1, 1), new Date(2000, 1, 1));
    expect(clientCache(root, env).get(bin)).toBeUndefined();
    expect(clientCache(undefined, env).get(bin)).toBeUndefined();
  });
});

describe('git, only where there can be a repository', () => {
  it('looks for .git here and above (a folder, or a worktree file), or GIT_DIR', () => {
    const top = temp();
    const deep = path.join(top, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    expect(mayBeInGit(deep, {})).toBe(false);
    expect(mayBeInGit(deep, { GIT_DIR: '/elsewhere/.git' })).toBe(true);
    writeFileSync(path.join(top, '.git'), 'gitdir: /repo/.git/worktrees/x\n');
    expect(mayBeInGit(deep, {})).toBe(true);
  });
});
