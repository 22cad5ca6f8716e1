/**
 * Image: production against runtime-minimal (size), each service's own boot (container start to its first answer),
 * and the stack's readiness after `compose up` against the target of issue 17 (1.5 x the sum of both boots + 0.5 s).
 * Needs the engine; everything runs on the offline stand-ins with the assets' own build args.
 */
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { assetPath, OFFLINE_IMAGES } from '@promtior/docker-assets';
import { cli, docker, dockerOut, exampleProject, median, root, type Suite, task } from './_util.ts';

const BOOT_RUNS = 5;
const READY_RUNS = 3;

function buildMinimal(dir: string, tag: string, port: number): void {
  const args = [
    'build',
    '--target',
    'runtime-minimal',
    '--file',
    assetPath('Dockerfile'),
    '--build-arg',
    `PYTHON_IMAGE=${OFFLINE_IMAGES.PYTHON_IMAGE}`,
    '--build-arg',
    `UV_IMAGE=${OFFLINE_IMAGES.UV_IMAGE}`,
    '--build-arg',
    `APP_PORT=${port}`,
    '--tag',
    tag,
    '.',
  ];
  const r = spawnSync(docker, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '1' } });
  if (r.status !== 0) throw new Error(`building runtime-minimal failed:\n${r.stderr}`);
}

const sizeOf = (tag: string) => Number(dockerOut('image', 'inspect', '--format', '{{.Size}}', tag));

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(250) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Milliseconds from the container's start (Docker's StartedAt) to the first successful answer at `urlPath`. */
async function bootOnce(image: string, port: number, urlPath: string): Promise<number> {
  const id = dockerOut('run', '-d', '-p', `127.0.0.1::${port}`, '-e', `APP_PORT=${port}`, image);
  if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`docker run ${image} failed: ${id}`);
  try {
    const hostPort = dockerOut('port', id, String(port)).split('\n')[0]?.split(':').at(-1);
    const deadline = Date.now() + 30_000;
    while (!(await answers(`http://127.0.0.1:${hostPort}${urlPath}`))) {
      if (Date.now() > deadline) throw new Error(`${image} did not answer ${urlPath} within 30 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const answered = Date.now();
    // StartedAt has nanoseconds; Date.parse takes milliseconds.
    const started = Date.parse(dockerOut('inspect', '--format', '{{.State.StartedAt}}', id).replace(/(\.\d{3})\d*/, '$1'));
    return answered - started;
  } finally {
    spawnSync(docker, ['rm', '-f', '-v', id], { stdio: 'ignore' });
  }
}

async function boot(image: string, port: number, urlPath: string): Promise<{ median: number; min: number }> {
  const xs: number[] = [];
  for (let i = 0; i < BOOT_RUNS; i++) xs.push(await bootOnce(image, port, urlPath));
  return { median: median(xs), min: Math.min(...xs) };
}

/**
 * One `docker-run --no-build`, all from its `compose up`: when compose said the last container was started, when
 * /ready first answered 200 (polled from the start, beside compose), and what docker-run itself reported.
 */
async function readyOnce(dir: string, tag: string, port: number): Promise<{ started: number; ready: number; reported: number }> {
  const child = spawn(process.execPath, [cli, '--', 'docker-run', '--no-build', '--tag', tag, '--output', 'json'], {
    cwd: dir,
    env: { ...process.env, CI: 'true' },
  });
  let upAt = 0;
  let started = 0;
  let reported = 0;
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const event = JSON.parse(buffer.slice(0, nl)) as { event: string; command?: string; text?: string; line?: string; time: number };
      buffer = buffer.slice(nl + 1);
      if (event.event === 'command' && event.command?.includes(' up -d')) upAt = event.time;
      // Compose v1: "Creating x_app_1 ... done"; v2: "Container x-app-1  Started".
      if (upAt && event.event === 'output' && /( \.\.\. done| Started)$/.test(event.line ?? '')) started = event.time - upAt;
      const m = event.text?.match(/answered \/health ([\d.]+) s after compose up/);
      if (m) reported = Number(m[1]) * 1000;
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let ready = 0;
  const deadline = Date.now() + 120_000;
  while (!ready && Date.now() < deadline) {
    if (upAt && (await answers(`http://127.0.0.1:${port}/ready`))) ready = Date.now() - upAt;
    else await new Promise((r) => setTimeout(r, 10));
  }
  if ((await exited) !== 0 || !ready) throw new Error('docker-run failed, or the stack never answered /ready');
  downProject(path.basename(dir).toLowerCase());
  return { started, ready, reported };
}

/** Removes a compose project's containers, volumes and networks, and keeps its image (docker-clean would not). */
function downProject(project: string): void {
  const ids = (...args: string[]) =>
    dockerOut(...args, '--filter', `label=com.docker.compose.project=${project}`)
      .split('\n')
      .filter(Boolean);
  const containers = ids('ps', '-aq');
  if (containers.length > 0) spawnSync(docker, ['rm', '-f', '-v', ...containers], { stdio: 'ignore' });
  for (const v of ids('volume', 'ls', '-q')) spawnSync(docker, ['volume', 'rm', '-f', v], { stdio: 'ignore' });
  for (const n of ids('network', 'ls', '-q')) spawnSync(docker, ['network', 'rm', n], { stdio: 'ignore' });
}

export const imageSuite: Suite = async ({ rt, record }) => {
  task(['docker-offline-images'], root);
  const port = 18910;
  const dir = exampleProject(port);
  const name = path.basename(dir).toLowerCase();
  const production = `bench-${name}:latest`;
  const minimal = `bench-${name}:minimal`;
  try {
    task(['docker-build', '--tag', production, '--images', 'offline'], dir);
    buildMinimal(dir, minimal, port);
    const [prod, min] = [sizeOf(production), sizeOf(minimal)];
    record({ id: 'image.size-production', value: prod / 1e6, unit: 'MB', text: `production image: ${(prod / 1e6).toFixed(1)} MB` });
    record({ id: 'image.size-runtime-minimal', value: min / 1e6, unit: 'MB', text: `runtime-minimal image: ${(min / 1e6).toFixed(1)} MB` });
    record({
      id: 'image.size-saved',
      value: (prod - min) / 1e6,
      unit: 'MB',
      text: `runtime-minimal is ${((prod - min) / 1e6).toFixed(1)} MB (${((100 * (prod - min)) / prod).toFixed(0)} %) smaller than production`,
    });

    const app = await boot(production, port, '/health');
    const appMin = await boot(minimal, port, '/health');
    const ollama = await boot(OFFLINE_IMAGES.OLLAMA_IMAGE, 11434, '/api/tags');
    const runs = `median of ${BOOT_RUNS}, container start to first answer`;
    record({ id: 'image.boot-app', value: app.median, unit: 'ms', text: `app boot (production): ${app.median} ms (min ${app.min}), ${runs}` });
    record({
      id: 'image.boot-app-minimal',
      value: appMin.median,
      unit: 'ms',
      text: `app boot (runtime-minimal): ${appMin.median} ms (min ${appMin.min}), ${runs}`,
    });
    record({ id: 'image.boot-ollama', value: ollama.median, unit: 'ms', text: `Ollama stand-in boot: ${ollama.median} ms (min ${ollama.min}), ${runs}` });

    const ready: number[] = [];
    const reported: number[] = [];
    const started: number[] = [];
    for (let i = 0; i < READY_RUNS; i++) {
      const r = await readyOnce(dir, production, port);
      ready.push(r.ready);
      reported.push(r.reported);
      started.push(r.started);
    }
    record({
      id: 'image.compose-started',
      value: median(started),
      unit: 'ms',
      text: `compose up -d said both containers were started ${(median(started) / 1000).toFixed(2)} s after it began (compose's own start-up and container creation), median of ${READY_RUNS}`,
    });
    const target = 1.5 * (app.median + ollama.median) + 500;
    record({
      id: 'image.ready-stack',
      value: median(ready),
      unit: 'ms',
      text: `stack ready (compose up to /ready 200, Ollama answering): median ${(median(ready) / 1000).toFixed(2)} s of ${READY_RUNS}, ${((median(ready) - median(started)) / 1000).toFixed(2)} s after compose started the containers; target 1.5 x (${app.median} + ${ollama.median} ms) + 0.5 s = ${(target / 1000).toFixed(2)} s: ${median(ready) <= target ? 'met' : 'NOT met'}`,
    });
    record({
      id: 'image.ready-docker-run',
      value: median(reported),
      unit: 'ms',
      text: `docker-run reported ready (/health answered) ${(median(reported) / 1000).toFixed(2)} s after compose up, median of ${READY_RUNS}`,
    });
    rt.log(`image: ${production} and ${minimal} built from ${dir}`);
  } finally {
    downProject(name);
    spawnSync(docker, ['image', 'rm', '-f', production, minimal], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
};
