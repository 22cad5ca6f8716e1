/**
 * Docker, in one run: image sizes (production, runtime-minimal), the services' own boot times, readiness after
 * `compose up` against issue 17's target, docker-dev (command to the app answering with a warm cache, hot reload,
 * Ctrl-C to nothing left), Docker's own health verdict (the steady-state checks are unchanged), image overhead and
 * rebuild times. Needs the engine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import type { RunContext } from '@promtior/tasks';
import { cli, docker, dockerOut, exampleProject, type Figure, median, root, type Suite, task } from './_util.ts';
import { buildMinimal, downProject, readiness, sizesAndBoots } from './image.ts';

const DEV_RUNS = 3;

/** When Docker itself calls the app healthy after docker-run, with the shipped health check (interval 10 s). */
async function dockerVerdict(rt: RunContext, record: (f: Figure) => void, dir: string, tag: string): Promise<void> {
  const started = Date.now();
  task(['docker-run', '--no-build', '--tag', tag], dir);
  const ready = Date.now() - started;
  const project = path.basename(dir).toLowerCase();
  const app = dockerOut('ps', '-q', '--filter', `label=com.docker.compose.project=${project}`, '--filter', 'label=com.docker.compose.service=app');
  // The shipped check's start period is 30 s: a minute without "healthy" is a broken image, not a slow one.
  let healthy = 0;
  try {
    while (!healthy) {
      if (dockerOut('inspect', '--format', '{{.State.Health.Status}}', app) === 'healthy') healthy = Date.now() - started;
      else if (Date.now() - started > 60_000) throw new Error(`the app of ${tag} was not healthy 60 s after docker-run began`);
      else await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    downProject(project);
  }
  record({
    id: 'docker.health-verdict',
    value: healthy,
    unit: 'ms',
    text: `Docker's own health status said healthy ${(healthy / 1000).toFixed(1)} s after docker-run began (it returned ready at ${(ready / 1000).toFixed(1)} s): the checks keep their 10 s interval and 30 s start period`,
  });
  rt.log(`health verdict measured on ${tag}`);
}

interface DevRun {
  answering: number;
  /** The command to its `compose up` starting (CLI start-up, facts, env-check, the up-to-date build check). */
  beforeUp: number;
  reload: number;
  teardown: number;
}

/** One docker-dev: command to /version answering, a source change to the new version answering, Ctrl-C to exit. */
async function devOnce(dir: string, tag: string, port: number, n: number): Promise<DevRun> {
  const url = `http://127.0.0.1:${port}/version`;
  const version = async () => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(250) });
      return ((await res.json()) as { version: string }).version;
    } catch {
      return undefined;
    }
  };
  const until = async (want: (v: string | undefined) => boolean, what: string) => {
    const deadline = Date.now() + 120_000;
    while (!want(await version())) {
      if (Date.now() > deadline) throw new Error(`docker-dev: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return Date.now();
  };
  const started = Date.now();
  const child = spawn(process.execPath, [cli, '--', 'docker-dev', '--tag', tag, '--output', 'json'], {
    cwd: dir,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  // The JSON event that announces `compose up` splits the time: ours before it, compose's and the stack's after.
  let upAt = 0;
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const event = JSON.parse(buffer.slice(0, nl)) as { event: string; command?: string; time: number };
      buffer = buffer.slice(nl + 1);
      if (!upAt && event.event === 'command' && / up --no-build /.test(event.command ?? '')) upAt = event.time;
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const main = path.join(dir, 'src', 'app', 'main.py');
  const source = readFileSync(main, 'utf8');
  try {
    const answering = (await until((v) => v !== undefined, 'the app')) - started;
    const changed = Date.now();
    writeFileSync(main, source.replace(/VERSION = "[^"]*"/, `VERSION = "bench-${n}"`));
    const reload = (await until((v) => v === `bench-${n}`, 'the reloaded app')) - changed;
    const stop = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    const teardown = Date.now() - stop;
    const left = dockerOut('ps', '-aq', '--filter', `label=com.docker.compose.project=${path.basename(dir).toLowerCase()}`);
    if (code !== 130 || left) throw new Error(`docker-dev: exit ${code} after Ctrl-C, containers left: ${left || 'none'}`);
    if (!upAt) throw new Error('docker-dev: no compose up command in its JSON output');
    return { answering, beforeUp: upAt - started, reload, teardown };
  } finally {
    writeFileSync(main, source);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

async function devTimes(rt: RunContext, record: (f: Figure) => void, dir: string, tag: string, port: number): Promise<void> {
  // The first run builds the development image: the cache is warm for the runs that count.
  await devOnce(dir, tag, port, 0);
  const runs: DevRun[] = [];
  for (let i = 1; i <= DEV_RUNS; i++) runs.push(await devOnce(dir, tag, port, i));
  const m = (k: keyof DevRun) => median(runs.map((r) => r[k]));
  const of = `median of ${DEV_RUNS}, warm build cache, CLI start-up and env-check included`;
  record({
    id: 'docker.dev-answering',
    value: m('answering'),
    unit: 'ms',
    text: `docker-dev: the app answered ${(m('answering') / 1000).toFixed(2)} s after the command (target < 5 s: ${m('answering') < 5000 ? 'met' : 'NOT met'}), ${of}`,
  });
  record({
    id: 'docker.dev-before-compose',
    value: m('beforeUp'),
    unit: 'ms',
    text: `docker-dev: compose up began ${(m('beforeUp') / 1000).toFixed(2)} s after the command (CLI start-up, facts, env-check, the up-to-date build check, secret files); the rest is compose v1, the engine and the app's boot, ${of}`,
  });
  record({
    id: 'docker.dev-reload',
    value: m('reload'),
    unit: 'ms',
    text: `docker-dev: hot reload ${(m('reload') / 1000).toFixed(2)} s from saving a file to the new code answering, ${of}`,
  });
  record({
    id: 'docker.dev-teardown',
    value: m('teardown'),
    unit: 'ms',
    text: `docker-dev: Ctrl-C to exit with every container and network removed in ${(m('teardown') / 1000).toFixed(2)} s, ${of}`,
  });
  rt.log(`docker-dev measured on ${tag}`);
}

/** Final image size minus base image, installed dependencies and app source (the layers our Dockerfile adds). */
function overheadAndRebuilds(rt: RunContext): void {
  const dir = exampleProject(18902);
  const tag = `bench-${path.basename(dir).toLowerCase()}:latest`;
  try {
    const build = () => {
      const started = Date.now();
      task(['docker-build', '--tag', tag, '--images', 'offline'], dir);
      return Date.now() - started;
    };
    build();
    const size = Number(dockerOut('image', 'inspect', '--format', '{{.Size}}', tag));
    const base = Number(dockerOut('image', 'inspect', '--format', '{{.Size}}', OFFLINE_IMAGES.PYTHON_IMAGE));
    const layers = dockerOut('history', '--no-trunc', '--human=false', '--format', '{{.Size}}\t{{.CreatedBy}}', tag).split('\n');
    const layer = (re: RegExp) => Number(layers.find((l) => re.test(l))?.split('\t')[0] ?? 0);
    const deps = layer(/COPY \/opt\/venv/);
    const src = layer(/COPY src\//);
    const overhead = size - base - deps - src;
    rt.log(
      `image: ${(size / 1e6).toFixed(2)} MB = base ${(base / 1e6).toFixed(2)} MB + dependencies ${(deps / 1e3).toFixed(1)} kB + source ${(src / 1e3).toFixed(1)} kB + overhead ${(overhead / 1e3).toFixed(1)} kB (target < 1 MB): ${overhead < 1e6 ? 'met' : 'NOT met'}`,
    );
    const noChange: number[] = [];
    const sourceOnly: number[] = [];
    const main = path.join(dir, 'src', 'app', 'main.py');
    for (let i = 0; i < 3; i++) {
      noChange.push(build());
      writeFileSync(main, `${readFileSync(main, 'utf8')}\n# change ${i}\n`);
      sourceOnly.push(build());
    }
    rt.log(
      `rebuild: no change median ${(median(noChange) / 1000).toFixed(2)} s; source-only change median ${(median(sourceOnly) / 1000).toFixed(2)} s (${(median(sourceOnly) / median(noChange)).toFixed(2)}x), 3 runs each, CLI start-up and env-check included`,
    );
  } finally {
    spawnSync(docker, ['image', 'rm', '-f', tag], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}

export const dockerSuite: Suite = async ({ rt, record, wants }) => {
  // Parts (--only): image.* (sizes, boots, readiness), docker.dev (docker-dev), docker.health-verdict, docker.rebuild.
  const [image, dev, verdict] = [wants('image.'), wants('docker.dev'), wants('docker.health-verdict')];
  task(['docker-offline-images'], root);
  const port = 18920;
  const dir = exampleProject(port);
  const name = path.basename(dir).toLowerCase();
  const production = `bench-${name}:latest`;
  const minimal = `bench-${name}:minimal`;
  const devTag = `bench-${name}:dev`;
  try {
    if (image || verdict) task(['docker-build', '--tag', production, '--images', 'offline'], dir);
    if (image) {
      buildMinimal(dir, minimal, port);
      const boots = await sizesAndBoots(record, production, minimal, port);
      await readiness(record, dir, production, port, boots);
    }
    if (dev) await devTimes(rt, record, dir, devTag, port);
    if (verdict) await dockerVerdict(rt, record, dir, production);
  } finally {
    downProject(name);
    // Removes the images the tasks built for this project and the secret files docker-run wrote.
    task(['docker-clean'], dir);
    spawnSync(docker, ['image', 'rm', '-f', production, minimal, devTag], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
  if (wants('docker.rebuild')) overheadAndRebuilds(rt);
};
