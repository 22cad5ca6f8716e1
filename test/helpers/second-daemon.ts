/**
 * A second Docker engine for the registry tests, beside the shared one (which is never restarted and keeps its
 * images): its own data root, exec root, pid file, socket, default bridge and address pool, and `--registry-mirror`
 * pointing at a local registry. It starts with no image at all: a connected machine on first use. The CLI under
 * test reaches it through DOCKER_HOST. `stop()` removes its containers and networks through its own API (so it
 * removes their firewall rules itself), stops it, then deletes what dockerd leaves behind: its bridge's rules, the
 * bridge, mounts and the folder. It also runs at process exit, and a later start reaps what a killed run left.
 * Needs root (dockerd, a bridge, iptables).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { alive, onExit, untilTrue } from './processes.ts';

const DOCKER = process.env.DOCKER ?? '/usr/bin/docker';
/** Short: containerd's sockets live under the exec root, and a socket path has at most 107 bytes. */
const PREFIX = '/tmp/dkr-';

export interface SecondDaemon {
  /** `unix:///tmp/dkr-XXXX/docker.sock` */
  host: string;
  /** Environment that points the CLI (and compose) at this engine. */
  env: { DOCKER_HOST: string };
  dir: string;
  /** Runs the docker CLI against this engine; throws with its stderr on failure. */
  docker(...args: string[]): string;
  /** Every image on this engine, `repo:tag` -> id. */
  images(): Record<string, string>;
  stop(): void;
}

/** What a teardown needs, kept in the folder (owner.json) so a later run can reap a killed run's daemon. */
interface State {
  dir: string;
  owner: number;
  bridge: string;
  octet: number;
}

let started = 0;

export async function startDaemon(opts: { mirror?: string } = {}): Promise<SecondDaemon> {
  if (process.getuid?.() !== 0) {
    throw new Error('The registry tests start a second dockerd (a bridge, iptables rules), which needs root: run them as root, as .ci/run does.');
  }
  reapStale();
  const n = started++;
  // A /24 for the default bridge and a /17 of /24s for compose networks, away from the shared engine's 172.x/192.168.x.
  const used = spawnSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' }).stdout;
  let octet = 200 + ((process.pid + n * 7) % 50);
  while (used.includes(` 10.${octet}.`)) octet = 200 + ((octet - 199) % 50);
  const state: State = { dir: mkdtempSync(PREFIX), owner: process.pid, bridge: `dkr${process.pid % 100000}n${n}`.slice(0, 15), octet };
  writeFileSync(path.join(state.dir, 'owner.json'), JSON.stringify(state));
  const { dir, bridge } = state;
  const host = `unix://${path.join(dir, 'docker.sock')}`;
  const run = (args: string[]) => spawnSync(DOCKER, args, { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: host }, timeout: 120_000 });
  const stop = onExit(() => teardown(state));

  for (const argv of [
    ['ip', 'link', 'add', 'name', bridge, 'type', 'bridge'],
    ['ip', 'addr', 'add', `10.${octet}.0.1/24`, 'dev', bridge],
    ['ip', 'link', 'set', bridge, 'up'],
  ]) {
    const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
    if (r.status !== 0) {
      stop();
      throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
    }
  }
  const log = openSync(path.join(dir, 'dockerd.log'), 'a');
  const daemon = spawn(
    'dockerd',
    [
      ...['--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'), '--pidfile', path.join(dir, 'dockerd.pid')],
      ...['--host', host, '--bridge', bridge, '--default-address-pool', `base=10.${octet}.128.0/17,size=24`],
      ...(opts.mirror ? ['--registry-mirror', opts.mirror] : []),
    ],
    { stdio: ['ignore', log, log], detached: true },
  );
  daemon.unref();
  const up = await untilTrue(() => spawnSync(DOCKER, ['version'], { env: { ...process.env, DOCKER_HOST: host }, timeout: 5000 }).status === 0, 30_000);
  if (!up) {
    const text = readFileSync(path.join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-30).join('\n');
    stop();
    throw new Error(`the second dockerd did not answer on ${host} within 30 s. Its log:\n${text}`);
  }
  return {
    host,
    env: { DOCKER_HOST: host },
    dir,
    docker: (...args) => {
      const r = run(args);
      if (r.status !== 0) throw new Error(`DOCKER_HOST=${host} docker ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
      return r.stdout;
    },
    images: () =>
      Object.fromEntries(
        (run(['image', 'ls', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']).stdout ?? '')
          .split('\n')
          .filter((l) => l && !l.includes('<none>'))
          .map((l) => l.split(' ') as [string, string]),
      ),
    stop,
  };
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function teardown({ dir, bridge, octet }: State): void {
  const host = `unix://${path.join(dir, 'docker.sock')}`;
  const run = (args: string[], timeout: number) => spawnSync(DOCKER, args, { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: host }, timeout });
  const sh = (argv: string[]) => spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
  const ids = run(['ps', '-aq'], 30_000).stdout?.split('\n').filter(Boolean) ?? [];
  if (ids.length > 0) run(['rm', '-f', '-v', ...ids], 60_000);
  run(['network', 'prune', '-f'], 30_000);
  for (const pidFile of [path.join(dir, 'dockerd.pid'), path.join(dir, 'exec', 'containerd', 'containerd.pid')]) {
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
    // Only a process whose command line names our folder: never a pid that was reused by someone else's process.
    if (!pid || !cmdline(pid).includes(dir)) continue;
    spawnSync('kill', ['-TERM', String(pid)]);
    const deadline = Date.now() + 20_000;
    while (alive(pid) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    if (alive(pid) && cmdline(pid).includes(dir)) spawnSync('kill', ['-KILL', String(pid)]);
  }
  // dockerd keeps its default bridge's firewall rules when it stops: remove exactly those (named after our bridge or subnet).
  for (const table of ['filter', 'nat']) {
    const rules = sh(['iptables', '-t', table, '-S']).stdout.split('\n');
    for (const rule of rules.filter((r) => r.startsWith('-A ') && (r.includes(` ${bridge} `) || r.endsWith(` ${bridge}`) || r.includes(` 10.${octet}.`)))) {
      sh(['sh', '-c', `iptables -t ${table} ${rule.replace(/^-A /, '-D ')}`]);
    }
  }
  sh(['ip', 'link', 'del', bridge]);
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${dir}/`))
    .reverse();
  for (const m of mounts) sh(['umount', '-l', m]);
  rmSync(dir, { recursive: true, force: true });
}

/** Tears down the second daemons of runs that were killed before their teardown (their owner process is gone). */
function reapStale(): void {
  for (const name of readdirSync(path.dirname(PREFIX)).filter((n) => n.startsWith(path.basename(PREFIX)))) {
    const file = path.join(path.dirname(PREFIX), name, 'owner.json');
    if (!existsSync(file)) continue;
    const state = JSON.parse(readFileSync(file, 'utf8')) as State;
    if (state.dir === path.join(path.dirname(PREFIX), name) && !alive(state.owner)) teardown(state);
  }
}
