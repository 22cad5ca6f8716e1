import { appendFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { EnvSpec } from '@promtior/env';
import { z } from 'zod';
import { composeArgv } from '../docker/compose.ts';
import { ErrorCode, TaskError, usageError } from '../errors.ts';
import { action, type RunContext } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { poll } from '../run/poll.ts';
import { judgeRebuilds } from '../verify/build-log.ts';
import { Checklist } from '../verify/checklist.ts';
import { copyProject, removeCopy, sourceFile } from '../verify/sandbox.ts';
import { safeBuildArgs } from '../workflow/build-args.ts';
import { composeFor } from '../workflow/docker-plan.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { readWorkflowValues, specFor } from '../workflow/env.ts';
import { imageSteps } from '../workflow/image-steps.ts';
import { chooseImages, IMAGE_KEYS, IMAGE_MODES } from '../workflow/images.ts';
import { dockerFile, resolveProject } from '../workflow/project.ts';
import { SECRET_FILES, secretFilesEnv, secretsDir } from '../workflow/secret-files.ts';
import { PROJECT_LABEL } from './docker-build.ts';
import { dockerOfflineImages } from './docker-offline-images.ts';
import { DEV_COMPOSE, FULL_COMPOSE } from './docker-run.ts';

/** Source-only rebuilds the dependency-layer check makes at most: the first, and up to two more after a miss. */
const REBUILD_ATTEMPTS = 3;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setTimeout(2000);
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/**
 * Waits through the one poller (run/poll.ts) for `probe` to give a value: every 500 ms until `timeoutMs`, and Ctrl-C
 * ends the wait at once. A probe that fails (a container not there yet, an inspect that errs) counts as "not yet":
 * verify's items report what they last saw when the time is up.
 */
async function until<T>(rt: RunContext, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<{ value?: T; ms: number }> {
  const r = await poll(() => probe().catch(() => undefined), { everyMs: 500, deadlineMs: timeoutMs, signal: rt.signal });
  return r.ok ? { value: r.value, ms: r.elapsedMs } : { ms: r.elapsedMs };
}

export const verify = defineTask({
  name: 'verify',
  group: 'quality',
  description: "Run the seed's testing checklist against the real engine (build, runtime, orchestration, development) with a measured figure per item",
  options: z.object({
    budget: z.coerce.number().positive().default(250).describe('image size budget in MB'),
    user: z.string().default('appuser').describe('the user the app must run as'),
    dev: z.boolean().default(true).describe('also check the development set-up (--no-dev skips it)'),
    images: z.enum(IMAGE_MODES).default('auto').describe('base images: registry, offline stand-ins, or auto'),
    format: z.enum(['table', 'json']).default('table').describe('checklist format; json goes to stdout alone'),
    healthTimeout: z.coerce.number().int().positive().max(3600).default(60).describe('seconds the container gets to report healthy'),
    healthInterval: z.coerce
      .number()
      .int()
      .min(1)
      .max(3600)
      .optional()
      .describe("seconds between health checks in verify's runs (default: the image's and compose files' own, 10 s for the app)"),
  }),
  dataOutput: (o) => o.format === 'json',
  examples: [
    'task verify',
    'task verify --no-dev --budget 300',
    'task verify --format json',
    'task verify --health-timeout 120',
    'task verify --health-interval 1',
  ],
  needs: ['docker', 'compose', 'images', 'registry'],
  plan: (opts, ctx, facts) => {
    // A first check after the whole wait can never pass in time: say so now, not after a minute of building.
    if (opts.healthInterval !== undefined && opts.healthInterval >= opts.healthTimeout) {
      throw usageError(
        ErrorCode.badFlag,
        `--health-interval ${opts.healthInterval} is not shorter than --health-timeout ${opts.healthTimeout}: the first health check would come after the wait is over, so "healthy" could never be seen. Fix: a smaller --health-interval (e.g. 1) or a larger --health-timeout.`,
      );
    }
    const project = resolveProject(ctx);
    const values = readWorkflowValues(ctx, project.dir);
    const setup = { bin: facts.docker.bin };
    const choice = chooseImages(opts.images, values, facts.images, facts.registry);
    // The build args verify passes to its builds, through the same gate as docker-build's.
    const buildArgs = safeBuildArgs(
      ctx,
      project.dir,
      ['APP_PORT', 'PYTHON_IMAGE', 'UV_IMAGE'].map((k) => `${k}=${({ ...values, ...choice.images } as Record<string, string | undefined>)[k] ?? ''}`),
    );
    const compose = composeFor(ctx, facts.compose, setup.bin, project, { files: ctx.config.composeFiles?.full ?? [FULL_COMPOSE], env: {} });
    // Health checks every N s instead of the image's and compose files' intervals: same checks, only sooner.
    const interval = opts.healthInterval === undefined ? undefined : `${opts.healthInterval}s`;
    const every = interval ? ` (checked every ${opts.healthInterval} s)` : '';
    const devCompose = composeFor(ctx, facts.compose, setup.bin, project, { files: ctx.config.composeFiles?.dev ?? [FULL_COMPOSE, DEV_COMPOSE], env: {} });
    return [
      requireEngine(facts.docker),
      ...imageSteps(choice, IMAGE_KEYS, { bin: setup.bin, cwd: project.dir, offlineImages: dockerOfflineImages }),
      action(
        'verify',
        [
          `copy ${project.dir} to a temp folder; build it (no cache), measure its size, rebuild after a source change (the image a rebuild untags is removed at once)`,
          'scan the image history and filesystem for .env files and secret values',
          `run it: healthy within ${opts.healthTimeout} s${every}, its user, /app ownership`,
          `start the stack under a throwaway project name: health${every}, app → ollama, volumes across stop/start`,
          ...(opts.dev ? ['start the development stack: hot reload, debug port, source change visible'] : []),
          'remove everything it started, also on failure or Ctrl-C',
        ],
        async (rt) => {
          const list = new Checklist();
          const copy = copyProject(project.dir);
          const id = `${project.name}-verify-${process.pid}`;
          const tag = `${id}:latest`;
          const devTag = `${id}:dev`;
          const spec: EnvSpec = specFor(ctx.config);
          const secretKeys = Object.entries(spec)
            .filter(([, s]) => s.secret)
            .map(([k]) => k);
          const secrets = secretKeys.map((k) => values[k]).filter((v): v is string => Boolean(v && v.length >= 8));
          const env: Record<string, string> = {
            ...values,
            ...choice.images,
            APP_IMAGE: tag,
            APP_DEV_IMAGE: devTag,
            ...(interval ? { APP_HEALTH_INTERVAL: interval, OLLAMA_HEALTH_INTERVAL: interval } : {}),
          };
          const cleanup: string[][] = [];
          // The stacks take their keys as files (compose secrets), kept outside the copy and removed with it.
          const uid = process.getuid?.() ?? 0;
          const secretDir = secretsDir({ dir: copy, name: id }, { uid }, ctx.env);
          cleanup.push(['rm', '-rf', secretDir]);
          const written = secretFilesEnv(secretDir, project.dir, uid, values);
          const secretEnv = Object.fromEntries(SECRET_FILES.map(({ key }) => [`${key}_FILE`, written[`${key}_FILE`] ?? '']));
          try {
            const dockerfile = dockerFile({ ...project, dir: copy }, 'Dockerfile');
            // A rebuild moves the tag to a new image: the one it leaves untagged is removed at once, so the cleanup's
            // `image rm` of the tags leaves no dangling image behind (the build cache keeps its layers anyway).
            const imageId = async (t: string) =>
              (await rt.exec({ argv: [setup.bin, 'image', 'inspect', '--format', '{{.Id}}', t], cwd: copy }, { quiet: true, okExitCodes: [1] })).stdout.trim();
            const build = async (target: string, t: string, extra: string[] = []) => {
              const before = await imageId(t);
              const result = await rt.exec(
                {
                  argv: [
                    setup.bin,
                    'build',
                    '--progress=plain',
                    '--target',
                    target,
                    '--tag',
                    t,
                    // Its throwaway project's label, as docker-build labels a project's images: an image verify left
                    // behind (untagged by a rebuild) can be told apart from another project's.
                    '--label',
                    `${PROJECT_LABEL}=${id}`,
                    '--file',
                    dockerfile,
                    ...buildArgs.flatMap((a) => ['--build-arg', a]),
                    ...extra,
                    '.',
                  ],
                  cwd: copy,
                  env: { DOCKER_BUILDKIT: '1' },
                },
                { quiet: true },
              );
              if (before.startsWith('sha256:') && (await imageId(t)) !== before) {
                await rt.exec({ argv: [setup.bin, 'image', 'rm', before], cwd: copy }, { quiet: true, okExitCodes: [1] });
              }
              return result;
            };
            cleanup.push([setup.bin, 'image', 'rm', '-f', tag, devTag]);
            await checkBuild(rt, list, { build, tag, budget: opts.budget, copy, dockerBin: setup.bin, secrets });
            if (list.items.some((i) => i.name === 'clean build' && i.ok)) {
              await checkRuntime(rt, list, {
                dockerBin: setup.bin,
                tag,
                id,
                user: opts.user,
                port: values.APP_PORT ?? '8000',
                env,
                keys: Object.keys(spec),
                cleanup,
                healthTimeout: opts.healthTimeout,
                healthInterval: interval,
              });
              const stack = {
                flavor: compose.flavor,
                project: {
                  ...compose.project,
                  projectName: `${id}-stack`,
                  projectDirectory: copy,
                  files: compose.project.files.map((f) => path.resolve(project.dir, f)),
                },
              };
              cleanup.push(composeArgv(stack.flavor, stack.project, ['down', '--volumes', '--remove-orphans', '--timeout', '3']));
              await checkStack(rt, list, {
                dockerBin: setup.bin,
                argv: (a) => composeArgv(stack.flavor, stack.project, a),
                env: { ...env, ...secretEnv, APP_HOST_PORT: String(await freePort()) },
                cwd: copy,
                projectName: stack.project.projectName,
              });
              if (opts.dev) {
                const dev = {
                  flavor: devCompose.flavor,
                  project: {
                    ...devCompose.project,
                    projectName: `${id}-dev`,
                    projectDirectory: copy,
                    files: devCompose.project.files.map((f) => path.resolve(project.dir, f)),
                  },
                };
                cleanup.push(composeArgv(dev.flavor, dev.project, ['down', '--volumes', '--remove-orphans', '--timeout', '3']));
                await build('development', devTag);
                const debugPort = await freePort();
                await checkDev(rt, list, {
                  dockerBin: setup.bin,
                  argv: (a) => composeArgv(dev.flavor, dev.project, a),
                  env: { ...env, ...secretEnv, APP_HOST_PORT: String(await freePort()), DEBUG_HOST_PORT: String(debugPort) },
                  cwd: copy,
                  projectName: dev.project.projectName,
                  copy,
                  debugPort,
                });
              }
            }
          } finally {
            // Every clean-up runs even when one fails; one that fails is said, so nothing is left behind unseen.
            for (const argv of cleanup.reverse()) {
              const r = await rt
                .exec({ argv, cwd: copy, env: { ...env, ...secretEnv } }, { quiet: true, okExitCodes: [1] })
                .catch((e: unknown) => ({ exitCode: -1, stdout: '', stderr: e instanceof Error ? e.message : String(e) }));
              if (r.exitCode !== 0 && !/no such|not found/i.test(r.stderr)) {
                rt.log(`warning: clean-up \`${argv.join(' ')}\` failed: ${r.stderr.trim().split('\n').at(-1) ?? ''}; remove it by hand`);
              }
            }
            removeCopy(copy);
          }
          if (opts.format === 'json') rt.result(list.json());
          else rt.result(list.text());
          if (list.failed.length > 0) {
            throw new TaskError(
              ErrorCode.checkFailed,
              `${list.failed.length} checklist item${list.failed.length > 1 ? 's' : ''} failed: ${list.failed.map((i) => `${i.group}: ${i.name}`).join('; ')}`,
            );
          }
        },
      ),
    ];
  },
});

interface BuildCtx {
  build: (target: string, tag: string, extra?: string[]) => Promise<{ stdout: string; stderr: string }>;
  tag: string;
  budget: number;
  copy: string;
  dockerBin: string;
  secrets: string[];
}

async function checkBuild(rt: RunContext, list: Checklist, b: BuildCtx): Promise<void> {
  const started = Date.now();
  const built = await list.check('build', 'clean build', async () => {
    await b.build('production', b.tag, ['--no-cache']);
    return { ok: true, figure: `built in ${((Date.now() - started) / 1000).toFixed(1)} s` };
  });
  if (!built) return;
  await list.check('build', `image size under ${b.budget} MB`, async () => {
    const mb = Number((await rt.exec({ argv: [b.dockerBin, 'image', 'inspect', '--format', '{{.Size}}', b.tag], cwd: b.copy }, { quiet: true })).stdout) / 1e6;
    return { ok: mb <= b.budget, figure: `${mb.toFixed(1)} MB` };
  });
  await list.check('build', 'a source-only change reuses the dependency layers', async () => {
    const file = sourceFile(b.copy);
    if (!file) return { ok: false, figure: 'no .py file under src/ to change' };
    return judgeRebuilds(REBUILD_ATTEMPTS, async (n) => {
      appendFileSync(file, `\n# verify: source-only change ${n} ${Date.now()}\n`);
      const out = await b.build('production', b.tag);
      return `${out.stdout}\n${out.stderr}`;
    });
  });
  await list.check('build', 'no secret in the image history or filesystem', async () => {
    const history = (await rt.exec({ argv: [b.dockerBin, 'history', '--no-trunc', '--format', '{{.CreatedBy}}', b.tag], cwd: b.copy }, { quiet: true })).stdout;
    const inHistory = b.secrets.filter((s) => history.includes(s)).length;
    const scan = `find / -xdev \\( -name '.env' -o -name '.env.*' \\) ! -name '.env.example' 2>/dev/null | head -5; ${b.secrets.map((_, i) => `grep -rlsF -e "$VERIFY_SECRET_${i}" /app /home /root /etc /opt 2>/dev/null | head -1`).join('; ')}`;
    const envArgs = b.secrets.flatMap((_, i) => ['-e', `VERIFY_SECRET_${i}`]);
    const found = [
      ...new Set(
        (
          await rt.exec(
            {
              argv: [b.dockerBin, 'run', '--rm', '--network', 'none', '--user', '0:0', '--entrypoint', 'sh', ...envArgs, b.tag, '-c', scan],
              cwd: b.copy,
              env: Object.fromEntries(b.secrets.map((s, i) => [`VERIFY_SECRET_${i}`, s])),
            },
            { quiet: true },
          )
        ).stdout
          .split('\n')
          .filter(Boolean),
      ),
    ];
    const envFiles = found.filter((f) => /(^|\/)\.env/.test(f));
    const secretFiles = found.filter((f) => !/(^|\/)\.env/.test(f));
    const ok = inHistory === 0 && found.length === 0;
    return {
      ok,
      figure: `${inHistory} secret values in the history, ${envFiles.length} .env files and ${secretFiles.length} files with a secret value in the image (${b.secrets.length} secrets checked)`,
      detail: ok ? undefined : found.join(', '),
    };
  });
}

interface RuntimeCtx {
  dockerBin: string;
  tag: string;
  id: string;
  user: string;
  port: string;
  env: Record<string, string>;
  /** The variables of the env spec: what the container gets with -e. */
  keys: string[];
  cleanup: string[][];
  /** Seconds the container gets to report healthy. */
  healthTimeout: number;
  /** The health-check interval to run it with ("1s"), or undefined for the image's own. */
  healthInterval: string | undefined;
}

async function checkRuntime(rt: RunContext, list: Checklist, r: RuntimeCtx): Promise<void> {
  const name = `${r.id}-run`;
  r.cleanup.push([r.dockerBin, 'rm', '-f', '-v', name]);
  const keys = r.keys.filter((k) => r.env[k] !== undefined);
  const started = await list.check('runtime', 'container starts', async () => {
    const out = await rt.exec(
      {
        argv: [
          r.dockerBin,
          'run',
          '-d',
          '--name',
          name,
          ...(r.healthInterval ? ['--health-interval', r.healthInterval] : []),
          ...keys.flatMap((k) => ['-e', k]),
          r.tag,
        ],
        cwd: rt.cwd,
        env: r.env,
      },
      { quiet: true },
    );
    return { ok: true, figure: `container ${out.stdout.trim().slice(0, 12)}` };
  });
  if (!started) return;
  await list.check('runtime', `healthy within ${r.healthTimeout} s`, async () => {
    const has = (
      await rt.exec({ argv: [r.dockerBin, 'inspect', '--format', '{{if .State.Health}}yes{{end}}', name], cwd: rt.cwd }, { quiet: true })
    ).stdout.trim();
    if (has !== 'yes') return { ok: false, figure: 'the image has no HEALTHCHECK' };
    const { value, ms } = await until(rt, r.healthTimeout * 1000, async () => {
      const s = (await rt.exec({ argv: [r.dockerBin, 'inspect', '--format', '{{.State.Health.Status}}', name], cwd: rt.cwd }, { quiet: true })).stdout.trim();
      return s === 'healthy' ? s : undefined;
    });
    const last = value ? undefined : await healthReason(rt, r.dockerBin, name);
    return {
      ok: Boolean(value),
      figure: value ? `healthy after ${(ms / 1000).toFixed(1)} s` : `not healthy after ${r.healthTimeout} s`,
      detail: last,
    };
  });
  await list.check('runtime', `runs as ${r.user}`, async () => {
    const out = (
      await rt.exec({ argv: [r.dockerBin, 'exec', name, 'sh', '-c', 'echo "$(whoami 2>/dev/null || id -un) $(id -u)"'], cwd: rt.cwd }, { quiet: true })
    ).stdout.trim();
    const [who = '', uid = ''] = out.split(' ');
    return { ok: who === r.user && uid !== '0', figure: `whoami = ${who}, id -u = ${uid}` };
  });
  await list.check('runtime', `/app owned by ${r.user}`, async () => {
    const owner = (await rt.exec({ argv: [r.dockerBin, 'exec', name, 'stat', '-c', '%U:%G', '/app'], cwd: rt.cwd }, { quiet: true })).stdout.trim();
    return { ok: owner.split(':')[0] === r.user, figure: `/app is ${owner}` };
  });
}

/** Why a container is not healthy, from Docker's health state: "starting; 5 of the last 5 checks failed; last: exit 1, <output>". */
async function healthReason(rt: RunContext, dockerBin: string, name: string): Promise<string | undefined> {
  const out = (await rt.exec({ argv: [dockerBin, 'inspect', '--format', '{{json .State.Health}}', name], cwd: rt.cwd }, { quiet: true })).stdout;
  let health: { Status?: string; Log?: { ExitCode?: number; Output?: string }[] } | null;
  try {
    health = JSON.parse(out);
  } catch {
    return undefined; // the reason is a help, never a reason for the item to fail differently
  }
  if (!health) return undefined;
  // Docker keeps the last five checks; its FailingStreak stays 0 in the start period, so the log is counted instead.
  const log = health.Log ?? [];
  const last = log.at(-1);
  if (!last) return `${health.Status ?? 'unknown'}; no check has run yet`;
  const output = (last.Output ?? '').trim().split('\n').filter(Boolean).at(-1)?.slice(-200);
  const failed = log.filter((c) => c.ExitCode !== 0).length;
  return `${health.Status ?? 'unknown'}; ${failed} of the last ${log.length} checks failed; last: exit ${last.ExitCode}${output ? `, ${output}` : ''}`;
}

interface StackCtx {
  dockerBin: string;
  argv: (args: string[]) => string[];
  env: Record<string, string>;
  cwd: string;
  projectName: string;
}

async function serviceContainer(rt: RunContext, s: StackCtx, service: string): Promise<string> {
  return (await rt.exec({ argv: s.argv(['ps', '-q', service]), cwd: s.cwd, env: s.env }, { quiet: true })).stdout.trim().split('\n')[0] ?? '';
}

async function allHealthy(rt: RunContext, s: StackCtx, timeoutMs: number): Promise<{ ok: boolean; figure: string }> {
  const ids = (await rt.exec({ argv: s.argv(['ps', '-q']), cwd: s.cwd, env: s.env }, { quiet: true })).stdout.split('\n').filter(Boolean);
  if (ids.length === 0) return { ok: false, figure: 'no running container in the stack' };
  // The last states seen (or why they could not be read), so a stack that never gets healthy says what held it back.
  let last = 'none read';
  const { value, ms } = await until(rt, timeoutMs, async () => {
    const inspected = await rt
      .exec(
        {
          argv: [
            s.dockerBin,
            'inspect',
            '--format',
            '{{index .Config.Labels "com.docker.compose.service"}}={{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}',
            ...ids,
          ],
          cwd: s.cwd,
        },
        { quiet: true },
      )
      .catch((e: unknown) => {
        last = `docker inspect failed: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`;
        return undefined;
      });
    if (!inspected) return undefined;
    const states = inspected.stdout.split('\n').filter(Boolean);
    last = states.join(', ');
    return states.length > 0 && states.every((x) => /=(healthy|running)$/.test(x)) ? states : undefined;
  });
  return {
    ok: Boolean(value),
    figure: value ? `${value.join(', ')} after ${(ms / 1000).toFixed(1)} s` : `not all healthy after ${timeoutMs / 1000} s (last seen: ${last})`,
  };
}

async function checkStack(rt: RunContext, list: Checklist, s: StackCtx): Promise<void> {
  const up = await list.check('orchestration', 'the stack comes up healthy', async () => {
    await rt.exec({ argv: s.argv(['up', '-d', '--no-build']), cwd: s.cwd, env: s.env }, { quiet: true });
    return allHealthy(rt, s, 120_000);
  });
  if (!up) return;
  await list.check('orchestration', 'the app reaches Ollama by service name', async () => {
    const app = await serviceContainer(rt, s, 'app');
    const url = `${s.env.OLLAMA_BASE_URL ?? 'http://ollama:11434'}/api/tags`;
    const code = (
      await rt.exec(
        { argv: [s.dockerBin, 'exec', app, 'python3', '-c', `import urllib.request; print(urllib.request.urlopen('${url}', timeout=5).status)`], cwd: s.cwd },
        { quiet: true },
      )
    ).stdout.trim();
    return { ok: code === '200', figure: `GET ${url} → ${code}` };
  });
  await list.check('orchestration', 'named volumes survive stop and start', async () => {
    const app = await serviceContainer(rt, s, 'app');
    const mounts = (
      await rt.exec(
        { argv: [s.dockerBin, 'inspect', '--format', '{{range .Mounts}}{{if eq .Type "volume"}}{{.Destination}} {{end}}{{end}}', app], cwd: s.cwd },
        { quiet: true },
      )
    ).stdout
      .trim()
      .split(' ')
      .filter(Boolean);
    const dir = mounts[0];
    if (!dir) return { ok: false, figure: 'the app mounts no named volume' };
    const marker = `verify-${Date.now()}`;
    await rt.exec({ argv: [s.dockerBin, 'exec', app, 'sh', '-c', `echo ${marker} > ${dir}/.verify-marker`], cwd: s.cwd }, { quiet: true });
    await rt.exec({ argv: s.argv(['stop', '--timeout', '5']), cwd: s.cwd, env: s.env }, { quiet: true });
    await rt.exec({ argv: s.argv(['start']), cwd: s.cwd, env: s.env }, { quiet: true });
    await allHealthy(rt, s, 120_000);
    const back = (
      await rt.exec({ argv: [s.dockerBin, 'exec', await serviceContainer(rt, s, 'app'), 'cat', `${dir}/.verify-marker`], cwd: s.cwd }, { quiet: true })
    ).stdout.trim();
    return { ok: back === marker, figure: `${dir}/.verify-marker ${back === marker ? 'was still there' : 'was lost'} after stop/start` };
  });
}

async function checkDev(rt: RunContext, list: Checklist, d: StackCtx & { copy: string; debugPort: number }): Promise<void> {
  const up = await list.check('development', 'the development stack comes up', async () => {
    await rt.exec({ argv: d.argv(['up', '-d', '--no-build']), cwd: d.cwd, env: d.env }, { quiet: true });
    return allHealthy(rt, d, 120_000);
  });
  if (!up) return;
  const file = sourceFile(d.copy);
  const marker = `verify-hot-reload-${Date.now()}`;
  if (file) appendFileSync(file, `\n# ${marker}\n`);
  await list.check('development', 'a source change is visible in the container', async () => {
    if (!file) return { ok: false, figure: 'no .py file under src/ to change' };
    const inside = `/app/src/${path.relative(path.join(d.copy, 'src'), file)}`;
    const app = await serviceContainer(rt, d, 'app');
    const { value, ms } = await until(rt, 10_000, async () =>
      (await rt.exec({ argv: [d.dockerBin, 'exec', app, 'cat', inside], cwd: d.cwd }, { quiet: true })).stdout.includes(marker) ? true : undefined,
    );
    return {
      ok: Boolean(value),
      figure: value ? `${inside} changed in the container after ${(ms / 1000).toFixed(1)} s` : `${inside} did not change (is ./src mounted?)`,
    };
  });
  await list.check('development', 'hot reload restarts the app', async () => {
    const name = file ? path.basename(file) : '';
    const { value, ms } = await until(rt, 15_000, async () => {
      const logs = await rt.exec({ argv: d.argv(['logs', '--no-color', '--tail', '50', 'app']), cwd: d.cwd, env: d.env }, { quiet: true });
      return new RegExp(`${name}.*(changed|reload)|(changed|reload).*${name}|Reloading`, 'i').test(`${logs.stdout}${logs.stderr}`) ? true : undefined;
    });
    return {
      ok: Boolean(value),
      figure: value ? `the logs report the reload ${(ms / 1000).toFixed(1)} s after the change` : `no reload in the logs within 15 s of changing ${name}`,
    };
  });
  await list.check('development', 'debug port reachable', async () => {
    const ok = await canConnect(d.debugPort);
    return { ok, figure: `127.0.0.1:${d.debugPort} (container 9229) ${ok ? 'accepts connections' : 'refuses connections'}` };
  });
}
