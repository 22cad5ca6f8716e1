/** Docker: image overhead, rebuild times, readiness after `compose up` (needs the engine). */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import type { RunContext } from '@promtior/tasks';
import { cli, docker, dockerOut, exampleProject, median, root, type Suite, task } from './_util.ts';

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

export const dockerSuite: Suite = async ({ rt }) => {
  task(['docker-offline-images'], root);
  overheadAndRebuilds(rt);
  await readiness(rt, false);
  await readiness(rt, true);
};
