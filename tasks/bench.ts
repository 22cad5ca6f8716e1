/**
 * Benchmarks (`pnpm bench`): measured and reported, never asserted in tests. Ratios are taken in one run on the
 * same machine. Suites: startup (CLI start-up), docker (readiness, image overhead, rebuilds; needs the engine).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { action, defineTask, type RunContext, runIfMain } from '@promtior/tasks';
import { z } from 'zod';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'packages', 'tasks', 'bin', 'task.js');
const docker = process.env.DOCKER ?? '/usr/bin/docker';

function timeOnce(argv: string[], cwd = root): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0] as string, argv.slice(1), { cwd, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function task(args: string[], cwd: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [cli, '--', ...args], { cwd, env: { ...process.env, CI: 'true', ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`task ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

function dockerOut(...args: string[]): string {
  return spawnSync(docker, args, { encoding: 'utf8' }).stdout.trim();
}

async function startup(rt: RunContext, runs: number): Promise<void> {
  const node = [process.execPath, '-e', '0'];
  const list = ['pnpm', 'task', '--list'];
  timeOnce(list); // warm the compile cache and the task manifest, as any second run finds them
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(timeOnce(node));
    b.push(timeOnce(list));
  }
  const ratio = median(b) / median(a);
  rt.log(`startup: node -e 0          median ${median(a).toFixed(1)} ms (min ${Math.min(...a).toFixed(1)}), ${runs} runs`);
  rt.log(`startup: pnpm task --list   median ${median(b).toFixed(1)} ms (min ${Math.min(...b).toFixed(1)})`);
  rt.log(`startup: ratio ${ratio.toFixed(2)}x (target <= 2x): ${ratio <= 2 ? 'met' : 'NOT met'}`);
}

/** A temp copy of the example service with its own .env; removed with everything it started. */
function exampleProject(port: number, extraEnv: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-'));
  cpSync(path.join(root, 'docker', 'assistant', 'pyproject.toml'), path.join(dir, 'pyproject.toml'));
  cpSync(path.join(root, 'docker', 'assistant', 'src'), path.join(dir, 'src'), { recursive: true });
  const env = { ADMIN_REINGEST_KEY: 'bench-admin-key-0123456789abcdef', APP_PORT: String(port), ...extraEnv };
  writeFileSync(
    path.join(dir, '.env'),
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  return dir;
}

/** Time to ready from `compose up`, against the first /health answer and Docker's own health status. */
async function readiness(rt: RunContext, seedSettings: boolean): Promise<void> {
  const port = 18900 + (seedSettings ? 1 : 0);
  // The seed's healthcheck: interval 30s, start_period 40s.
  const dir = exampleProject(port, seedSettings ? { APP_HEALTH_INTERVAL: '30s', APP_HEALTH_START_PERIOD: '40s' } : {});
  const tag = `bench-${path.basename(dir).toLowerCase()}:latest`;
  try {
    task(['docker-build', '--tag', tag], dir);
    const child = spawn(process.execPath, [cli, '--', 'docker-run', '--no-build', '--tag', tag, '--output', 'json'], {
      cwd: dir,
      env: { ...process.env, CI: 'true' },
    });
    let upAt = 0;
    let firstHealth = 0;
    let reported = 0;
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d;
      for (;;) {
        const nl = buffer.indexOf('\n');
        if (nl < 0) break;
        const event = JSON.parse(buffer.slice(0, nl)) as { event: string; command?: string; text?: string; time: number };
        buffer = buffer.slice(nl + 1);
        if (event.event === 'command' && event.command?.includes(' up -d')) upAt = event.time;
        const m = event.text?.match(/answered \/health ([\d.]+) s after compose up/);
        if (m) reported = Number(m[1]) * 1000;
      }
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    while (!firstHealth) {
      if (upAt) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(500) });
          if (res.ok) firstHealth = Date.now() - upAt;
        } catch {
          // not yet
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    if ((await exited) !== 0) throw new Error('docker-run failed');
    const app = dockerOut(
      'ps',
      '-q',
      '--filter',
      `label=com.docker.compose.project=${path.basename(dir).toLowerCase()}`,
      '--filter',
      'label=com.docker.compose.service=app',
    );
    let dockerHealthy = 0;
    while (!dockerHealthy) {
      if (dockerOut('inspect', '--format', '{{.State.Health.Status}}', app) === 'healthy') dockerHealthy = Date.now() - upAt;
      else await new Promise((r) => setTimeout(r, 100));
    }
    const label = seedSettings ? "seed's healthcheck (interval 30s, start_period 40s)" : 'shipped healthcheck (interval 10s)';
    rt.log(
      `ready (${label}): docker-run ready ${(reported / 1000).toFixed(2)} s after compose up; app first answered /health at ${(firstHealth / 1000).toFixed(2)} s; Docker said healthy at ${(dockerHealthy / 1000).toFixed(2)} s`,
    );
    const target = 1.5 * firstHealth + 500;
    rt.log(
      `ready: docker-run / first answer = ${(reported / firstHealth).toFixed(2)}x (target <= 1.5x + 0.5 s, i.e. <= ${(target / 1000).toFixed(2)} s): ${reported <= target ? 'met' : 'NOT met'}; Docker's status came ${((dockerHealthy - reported) / 1000).toFixed(1)} s later`,
    );
  } finally {
    task(['docker-clean', '--volumes', '--yes'], dir);
    spawnSync(docker, ['image', 'rm', '-f', tag], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
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

/** Peak resident memory of a process tree's root, sampled from /proc every 20 ms while it runs. */
function runWithPeakRss(args: string[], cwd: string): Promise<{ ms: number; peakMb: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [cli, '--', ...args], { cwd, env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let peak = 0;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const timer = setInterval(() => {
      try {
        const rss = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
        peak = Math.max(peak, rss);
      } catch {
        // exited
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`task ${args.join(' ')} failed (${code})`));
      else resolve({ ms: Date.now() - started, peakMb: peak / 1024, stdout });
    });
  });
}

/** Volume backup throughput against plain tar of the same volume, and peak memory at two volume sizes. */
async function volumeBackup(rt: RunContext): Promise<void> {
  const image = OFFLINE_IMAGES.PYTHON_IMAGE;
  for (const mb of [100, 1000]) {
    const dir = exampleProject(18903);
    const project = path.basename(dir).toLowerCase();
    const volume = `${project}_bench`;
    try {
      spawnSync(docker, ['volume', 'create', '--label', `com.docker.compose.project=${project}`, volume], { stdio: 'ignore' });
      spawnSync(docker, ['run', '--rm', '-v', `${volume}:/v`, '--entrypoint', 'sh', image, '-c', `head -c ${mb}000000 /dev/urandom > /v/data.bin`], {
        stdio: 'ignore',
      });
      const plainStarted = Date.now();
      const plain = spawnSync(
        docker,
        ['run', '--rm', '--network', 'none', '-v', `${volume}:/v:ro`, '-v', `${dir}:/out`, '--entrypoint', 'sh', image, '-c', 'tar -C /v -cf /out/plain.tar .'],
        { stdio: 'ignore' },
      );
      if (plain.status !== 0) throw new Error('plain tar failed');
      const plainS = (Date.now() - plainStarted) / 1000;
      rmSync(path.join(dir, 'plain.tar'), { force: true });
      const ours = await runWithPeakRss(['backup', '--volumes'], dir);
      const m = ours.stdout.match(/volume \S+: ([\d.]+) (MB|GB) in ([\d.]+) s/);
      const oursS = Number(m?.[3] ?? Number.NaN);
      rt.log(
        `backup ${mb} MB volume: stream ${oursS.toFixed(1)} s (${(mb / oursS).toFixed(0)} MB/s) vs plain tar ${plainS.toFixed(1)} s (${(mb / plainS).toFixed(0)} MB/s): ${((plainS / oursS) * 100).toFixed(0)} % of plain tar (target >= 80 %); whole task ${(ours.ms / 1000).toFixed(1)} s incl. verify; peak RSS of the task ${ours.peakMb.toFixed(0)} MB`,
      );
    } finally {
      spawnSync(docker, ['volume', 'rm', '-f', volume], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** audit on the shipped assets and on a generated 200-service compose file (target: under 1 s), CLI and in-process. */
async function auditSpeed(rt: RunContext): Promise<void> {
  const { loadInput, runAudit } = await import('@promtior/audit');
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-audit-'));
  try {
    const services = Array.from({ length: 200 }, (_, i) =>
      [
        `  svc${i}:`,
        '    <<: *defaults',
        `    image: registry.example.com/team/svc${i}:1.${i}`,
        '    ports:',
        `      - "${20000 + i}:8080"`,
        '    environment:',
        `      DB_PASSWORD: \${DB_PASSWORD_${i}:-password}`,
        `      LOG_LEVEL: info`,
      ].join('\n'),
    ).join('\n');
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      `x-defaults: &defaults\n  restart: unless-stopped\n  read_only: true\n  deploy: { resources: { limits: { cpus: "0.5", memory: 256M } } }\nservices:\n${services}\n`,
    );
    for (const [label, target] of [
      ['shipped assets', path.join(root, 'packages', 'docker-assets', 'assets')],
      ['200-service compose file', dir],
    ] as const) {
      const cli: number[] = [];
      for (let i = 0; i < 5; i++)
        cli.push(timeOnce([process.execPath, path.join(root, 'packages', 'tasks', 'bin', 'task.js'), '--', '-C', target, 'audit', '--format', 'json'], root));
      const inProcess: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = process.hrtime.bigint();
        runAudit(loadInput({ dir: target }));
        inProcess.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      rt.log(
        `audit ${label}: CLI median ${median(cli).toFixed(0)} ms (start-up included); rules alone median ${median(inProcess).toFixed(1)} ms${label.startsWith('200') ? ` (target < 1000 ms: ${median(cli) < 1000 ? 'met' : 'NOT met'})` : ''}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench = defineTask({
  name: 'bench',
  group: 'repo',
  description: 'Benchmarks: CLI start-up against `node -e 0`; Docker readiness, image overhead, rebuilds; volume backup speed and memory',
  options: z.object({
    suite: z.enum(['all', 'startup', 'docker', 'backup', 'audit']).default('all').describe('which benchmarks to run'),
    runs: z.coerce.number().int().min(3).default(20).describe('start-up runs of each command'),
  }),
  run: (opts) => [
    action('benchmarks', [`run the ${opts.suite} benchmark suite(s) and report the figures`], async (rt) => {
      if (opts.suite === 'all' || opts.suite === 'startup') await startup(rt, opts.runs);
      if (opts.suite === 'all' || opts.suite === 'audit') await auditSpeed(rt);
      if (opts.suite === 'all' || opts.suite === 'docker' || opts.suite === 'backup') task(['docker-offline-images'], root);
      if (opts.suite === 'all' || opts.suite === 'docker') {
        overheadAndRebuilds(rt);
        await readiness(rt, false);
        await readiness(rt, true);
      }
      if (opts.suite === 'all' || opts.suite === 'backup') await volumeBackup(rt);
    }),
  ],
});

await runIfMain(import.meta, bench);
