import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { load, save } from '../cli/prefetch.cjs';
import { askedWhilePlanning, closePrefetch, daemonGet, FRESH_MS, prefetch, resetPrefetch, writtenAhead } from './daemon-get.cjs';

let dir: string;
let server: Server;
let socketPath: string;
/** Every GET the fake daemon received, in order, and when. */
let received: string[];
let receivedAt: number[];
/** Paths the fake daemon does not answer until `release` is called. */
let held: Set<string>;
let release: () => void;

beforeEach(async () => {
  resetPrefetch();
  dir = mkdtempSync(path.join(tmpdir(), 'prefetch-'));
  socketPath = path.join(dir, 'd.sock');
  received = [];
  receivedAt = [];
  held = new Set();
  const waiting: (() => void)[] = [];
  release = () => {
    for (const w of waiting.splice(0)) w();
  };
  server = createServer((c) => {
    // A client that ends without reading its answer (a CLI that exits) resets the connection: not the test's concern.
    c.on('error', () => {});
    c.on('data', (data) => {
      const url = /^GET (\S+)/.exec(data.toString())?.[1] ?? '';
      received.push(url);
      receivedAt.push(Date.now());
      const answer = () => c.end(`HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ url, n: received.length })}`);
      if (held.has(url)) waiting.push(answer);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
});

afterEach(async () => {
  resetPrefetch();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const endpoint = () => ({ socketPath, shown: `unix://${socketPath}` });
const body = async (p: Promise<unknown>) => JSON.parse(((await p) as { body: string }).body) as { url: string; n: number };

describe('daemon questions sent ahead (facts/daemon-get.cjs)', () => {
  it('a prefetched question is answered once from what was sent ahead; asked again, it goes to the daemon again', async () => {
    prefetch([{ socketPath, path: '/version', deadlineMs: 2000 }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(received).toEqual(['/version']);
    expect(await body(daemonGet(endpoint(), '/version', 2000))).toEqual({ url: '/version', n: 1 });
    expect(received).toEqual(['/version']);
    expect(await body(daemonGet(endpoint(), '/version', 2000))).toEqual({ url: '/version', n: 2 });
    expect(received).toEqual(['/version', '/version']);
  });

  it('questions go out together, before the answers that would have led to them', async () => {
    held.add('/images/json');
    prefetch([
      { socketPath, path: '/images/json', deadlineMs: 2000 },
      { socketPath, path: '/distribution/python:3.12-slim/json', deadlineMs: 3000 },
    ]);
    await new Promise((r) => setTimeout(r, 50));
    // The second question is at the daemon while the first is still unanswered.
    expect(received.sort()).toEqual(['/distribution/python:3.12-slim/json', '/images/json']);
    const images = daemonGet(endpoint(), '/images/json', 2000);
    release();
    expect((await body(images)).url).toBe('/images/json');
  });

  it('the first command closes the prefetch: what was sent ahead is dropped, and nothing more is remembered', async () => {
    prefetch([{ socketPath, path: '/images/nochg:latest/json', deadlineMs: 2000 }]);
    await daemonGet(endpoint(), '/version', 2000);
    closePrefetch();
    await daemonGet(endpoint(), '/images/nochg:latest/json', 2000);
    await daemonGet(endpoint(), '/info', 2000);
    // Asked after the command: a fresh question, not the answer from before it.
    expect(received.filter((u) => u === '/images/nochg:latest/json')).toHaveLength(2);
    expect(askedWhilePlanning()).toEqual([{ socketPath, path: '/version', deadlineMs: 2000 }]);
  });

  it('an answer sent ahead goes stale: asked more than FRESH_MS later (a --watch round), the daemon is asked again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      prefetch([{ socketPath, path: '/images/json', deadlineMs: 2000 }]);
      await new Promise((r) => setTimeout(r, 50));
      vi.setSystemTime(Date.now() + FRESH_MS + 1);
      expect(await body(daemonGet(endpoint(), '/images/json', 2000))).toEqual({ url: '/images/json', n: 2 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('the questions are at the daemon before the CLI loads its modules (a long synchronous stretch right after)', async () => {
    const module = path.join(import.meta.dirname, 'daemon-get.cjs');
    // What start.cjs does: wait for prefetch(), then load the ES module graph, which never yields to the event loop
    // (played here by a busy loop of 400 ms).
    const code = `const g = require(${JSON.stringify(module)});
      g.prefetch([{ socketPath: ${JSON.stringify(socketPath)}, path: '/version', deadlineMs: 5000 }, { socketPath: ${JSON.stringify(socketPath)}, path: '/info', deadlineMs: 5000 }])
        .then(() => { const start = Date.now(); while (Date.now() - start < 400); console.log(JSON.stringify({ written: g.writtenAhead(), start })); });`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', code], { timeout: 20_000, encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    const child = JSON.parse(out) as { written: number; start: number };
    expect(child.written).toBe(2);
    expect(received.sort()).toEqual(['/info', '/version']);
    // Both reached the daemon during the stretch, not after it (without the wait they arrive ~400 ms later).
    for (const at of receivedAt) expect(at).toBeLessThan(child.start + 300);
  });

  it('a daemon that is not there does not hold the start: the wait ends at once, with nothing written', async () => {
    const began = Date.now();
    await prefetch([{ socketPath: path.join(dir, 'missing.sock'), path: '/version', deadlineMs: 5000 }]);
    expect(Date.now() - began).toBeLessThan(1000);
    expect(writtenAhead()).toBe(0);
    expect(await prefetch([])).toBeUndefined();
  });

  it('an answer sent ahead that nobody asks for does not keep the CLI running, even when the daemon never answers', () => {
    held.add('/version');
    const module = path.join(import.meta.dirname, 'daemon-get.cjs');
    const code = `require(${JSON.stringify(module)}).prefetch([{ socketPath: ${JSON.stringify(socketPath)}, path: '/version', deadlineMs: 30000 }]);`;
    // The server runs in this process: the child must end on its own while the question hangs.
    const r = spawnSync(process.execPath, ['-e', code], { timeout: 20_000, encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
  });
});

describe('the prefetch record (cli/prefetch.cjs)', () => {
  const cwd = '/srv/repo';
  const argv = ['docker-build', '--tag', 'x:1'];
  const ask = { socketPath: '/var/run/docker.sock', path: '/version', deadlineMs: 2000 };
  /** A per-user cache root of its own for each test, as cache.cjs makes one (0700). */
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'prefetch-root-'));
    chmodSync(root, 0o700);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives a command line back what it asked last time, per command line', () => {
    save(load(root, cwd, argv), [ask]);
    save(load(root, cwd, ['env-check']), []);
    expect(load(root, cwd, argv).asks).toEqual([ask]);
    expect(load(root, cwd, ['env-check']).asks).toEqual([]);
    expect(load(root, '/srv/other', argv).asks).toEqual([]);
  });

  it('writes no command line down (a token typed on it stays out of the cache), and reads no folder others can write', () => {
    const secretArgv = ['shell', 'app', '--command', 'curl -H "Authorization: Bearer sk-ARGV-0123456789"'];
    save(load(root, cwd, secretArgv), [ask]);
    const file = path.join(root, 'prefetch', readdirSync(path.join(root, 'prefetch'))[0] as string);
    expect(readFileSync(file, 'utf8')).not.toContain('sk-ARGV');
    expect(load(root, cwd, secretArgv).asks).toEqual([ask]);
    // Someone else could have written the folder's entries: it is replaced, and nothing in it is read.
    chmodSync(path.join(root, 'prefetch'), 0o777);
    expect(load(root, cwd, secretArgv).asks).toEqual([]);
    expect(statSync(path.join(root, 'prefetch')).mode & 0o777).toBe(0o700);
  });

  it('keeps only questions: a path that could smuggle a header, a relative socket or an odd deadline is dropped', () => {
    const bad = [
      { ...ask, path: '/version HTTP/1.0\r\nX-Evil: 1' },
      { ...ask, path: 'version' },
      { ...ask, socketPath: 'docker.sock' },
      { ...ask, deadlineMs: 0 },
      { ...ask, deadlineMs: 10 ** 9 },
      { path: '/version', deadlineMs: 2000 },
    ];
    save({ ...load(root, cwd, argv), asks: [], runs: {} }, [...bad, ask] as never);
    expect(load(root, cwd, argv).asks).toEqual([ask]);
    fc.assert(
      fc.property(fc.string(), (p) => {
        save({ ...load(root, cwd, argv), asks: [], runs: {} }, [{ ...ask, path: p }]);
        const kept = load(root, cwd, argv).asks;
        // Whatever is kept goes into a request line as is: no space, no line break.
        return kept.every((a) => a.path.startsWith('/') && !/[\s]/.test(a.path));
      }),
    );
  });
});
