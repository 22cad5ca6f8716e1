'use strict';
/**
 * GETs to the Docker daemon's socket (plain HTTP/1.0 over node:net: see daemon-api.ts), and their prefetch.
 *
 * A task's facts wait on the daemon in two rounds (its version and images, then the registry and /info questions
 * they lead to), after the CLI has spent ~150 ms loading the modules that ask. The same command in the same folder
 * asks the same questions the next time, so the CLI remembers them (cli/prefetch.cjs, in the per-user cache) and
 * cli/start.cjs sends them all at once before it loads anything; the facts then take the answers that are already
 * there. Issue 13: a no-change docker-build waits on the daemon behind its own start-up instead of after it.
 *
 * Only read questions, and only answers given during this run's planning: the first command a run starts (which
 * may build, pull or remove) closes the prefetch (exec/run-command.ts), each prefetched answer is used once, so
 * a question asked again later (an image's labels after its build) is asked afresh, and only within FRESH_MS of
 * being sent. Plain CommonJS: start.cjs loads
 * it before any ES module.
 */

/** @typedef {{ socketPath: string; shown: string } | { host: string; port: number; shown: string }} DaemonEndpoint */
/** @typedef {{ status: number; body: string } | { error: string; timedOut: boolean; accepted?: boolean }} DaemonReply */
/** @typedef {{ promise: Promise<DaemonReply>; ref: () => void; at: number; deadlineMs: number }} Request */
/** @typedef {{ socketPath?: string; host?: string; port?: number }} Target where a question goes */
/** @typedef {Target & { path: string; deadlineMs: number }} Ask */

/** At most this many questions are sent ahead (a run asks ~7). */
const MAX_ASKS = 16;
/**
 * An answer sent ahead is taken only this soon after it was asked (planning takes well under a second): a --watch
 * round minutes later, or a fact first asked late in a long run, gets a fresh answer.
 */
const FRESH_MS = 5000;
/**
 * start.cjs waits at most this long for the questions sent ahead to be written before it loads the CLI's modules:
 * loading an ES module graph never returns to the event loop, so a connect that has not completed by then would
 * send its question only after the ~150 ms of loading, answered no sooner than when the facts ask it themselves.
 * A local socket connects and writes in well under a millisecond; a TCP daemon that is slow to accept is not waited for.
 */
const SEND_MS = 20;

/** @param {Target} e */
function where(e) {
  return e.socketPath !== undefined ? `unix:${e.socketPath}` : `tcp:${e.host}:${e.port}`;
}

/**
 * One GET; `ref: false` leaves it unable to keep the process alive (a prefetched answer nobody asks for). `onSent`
 * is called once, when the question has been handed to the kernel or the request has failed.
 * @param {Target} endpoint @param {string} path @param {number} deadlineMs @param {boolean} ref
 * @param {(written: boolean) => void} [onSent] @returns {Request}
 */
function request(endpoint, path, deadlineMs, ref, onSent) {
  const net = /** @type {typeof import('node:net')} */ (process.getBuiltinModule('node:net'));
  const socket = endpoint.socketPath !== undefined ? net.connect(endpoint.socketPath) : net.connect(/** @type {number} */ (endpoint.port), endpoint.host);
  /** @type {Buffer[]} */
  const chunks = [];
  let done = false;
  let sent = false;
  // A timed-out question says whether the daemon took the connection (a hung dockerd) or not even that.
  let accepted = false;
  /** @param {boolean} written */
  const told = (written) => {
    if (sent) return;
    sent = true;
    onSent?.(written);
  };
  /** @type {(reply: DaemonReply) => void} */
  let resolve = () => {};
  const promise = new Promise((r) => {
    resolve = r;
  });
  /** @param {DaemonReply} reply */
  const finish = (reply) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    socket.destroy();
    told(false);
    resolve(reply);
  };
  const timer = setTimeout(() => finish({ error: `no answer within ${(deadlineMs / 1000).toFixed(1)} s`, timedOut: true, accepted }), deadlineMs);
  socket.on('connect', () => {
    accepted = true;
    socket.write(`GET ${path} HTTP/1.0\r\nHost: docker\r\nUser-Agent: promtior-tasks\r\n\r\n`, () => told(true));
  });
  socket.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
  socket.on('error', (error) => finish({ error: error.message, timedOut: false }));
  socket.on('close', () => finish(parseReply(Buffer.concat(chunks).toString('utf8'))));
  if (!ref) {
    socket.unref();
    timer.unref();
  }
  return {
    promise: /** @type {Promise<DaemonReply>} */ (promise),
    at: Date.now(),
    deadlineMs,
    ref: () => {
      socket.ref();
      timer.ref();
    },
  };
}

/**
 * An HTTP/1.x reply as status and body (a chunked body, which an HTTP/1.0 request should not get, decoded anyway).
 * @param {string} text @returns {DaemonReply}
 */
function parseReply(text) {
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  const split = text.indexOf('\r\n\r\n');
  if (!status || split < 0) return { error: text ? 'not an HTTP answer' : 'the connection closed without an answer', timedOut: false };
  const head = text.slice(0, split);
  let body = text.slice(split + 4);
  if (/^transfer-encoding:\s*chunked/im.test(head)) body = dechunk(body);
  return { status: Number(status[1]), body };
}

/** @param {string} body */
function dechunk(body) {
  let out = '';
  let rest = body;
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, line), 16);
    if (line < 0 || !(size > 0)) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

/**
 * This run's prefetch, on globalThis: start.cjs's require and the ES modules' import share it either way.
 * @returns {{ open: boolean; pending: Map<string, Request>; asked: Ask[]; written: number }}
 */
function state() {
  const key = Symbol.for('promtior-tasks.daemon-prefetch');
  const g = /** @type {Record<symbol, ReturnType<typeof state> | undefined>} */ (/** @type {unknown} */ (globalThis));
  let s = g[key];
  if (!s) {
    s = { open: true, pending: new Map(), asked: [], written: 0 };
    g[key] = s;
  }
  return s;
}

/**
 * Sends `asks` now, each with the deadline it was asked with; their answers wait, unreferenced, for daemonGet. The
 * promise settles once every question is written (or failed), or after SEND_MS: start.cjs loads the CLI after it.
 * @param {readonly Ask[]} asks @returns {Promise<void>}
 */
function prefetch(asks) {
  const s = state();
  /** @type {Promise<void>[]} */
  const writes = [];
  for (const ask of asks.slice(0, MAX_ASKS)) {
    const key = `${where(ask)} ${ask.path}`;
    if (!s.open || s.pending.has(key)) continue;
    writes.push(
      new Promise((resolve) => {
        // The run's own state, not state(): a test's reset between runs must not count a late write of the last one.
        s.pending.set(
          key,
          request(ask, ask.path, ask.deadlineMs, false, (written) => {
            if (written) s.written++;
            resolve();
          }),
        );
      }),
    );
  }
  if (writes.length === 0) return Promise.resolve();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  // Referenced on purpose: the process must live until the CLI is loaded, whatever the sockets do.
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, SEND_MS);
  });
  return Promise.race([Promise.all(writes), late]).then(() => clearTimeout(timer));
}

/** How many questions sent ahead were written to the daemon's socket in this run (tests; diagnostics). */
function writtenAhead() {
  return state().written;
}

/**
 * The daemon's reply to GET `path`: the prefetched one while planning (once), else asked now.
 * @param {DaemonEndpoint} endpoint @param {string} path @param {number} deadlineMs @returns {Promise<DaemonReply>}
 */
function daemonGet(endpoint, path, deadlineMs) {
  const s = state();
  if (s.open) {
    /** @type {Ask} */
    const ask =
      'socketPath' in endpoint ? { socketPath: endpoint.socketPath, path, deadlineMs } : { host: endpoint.host, port: endpoint.port, path, deadlineMs };
    if (s.asked.length < MAX_ASKS && !s.asked.some((a) => where(a) === where(ask) && a.path === path)) s.asked.push(ask);
    const key = `${where(endpoint)} ${path}`;
    const ready = s.pending.get(key);
    s.pending.delete(key);
    // Sent with a shorter deadline than asked now (an earlier version's, remembered by the last run): asked afresh, so
    // a daemon is never given up on sooner than the caller says (facts/silent-daemon.ts).
    if (ready && Date.now() - ready.at <= FRESH_MS && ready.deadlineMs >= deadlineMs) {
      ready.ref();
      return ready.promise;
    }
  }
  return request(endpoint, path, deadlineMs, true).promise;
}

/** The first command of a run may change what the daemon would say: from here on every question is asked afresh. */
function closePrefetch() {
  const s = state();
  s.open = false;
  s.pending.clear();
}

/** What this run asked while planning, for the next run of the same command. @returns {readonly Ask[]} */
function askedWhilePlanning() {
  return state().asked;
}

/** A new run's state, for tests that play several runs in one process. */
function resetPrefetch() {
  closePrefetch();
  const g = /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis));
  g[Symbol.for('promtior-tasks.daemon-prefetch')] = undefined;
}

module.exports = { FRESH_MS, MAX_ASKS, SEND_MS, askedWhilePlanning, closePrefetch, daemonGet, parseReply, prefetch, resetPrefetch, writtenAhead };
