/** What the Docker built-ins plan, decided from the facts alone (no engine): the rules behind the golden files. */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Facts } from '../facts/facts.ts';
import { fakeFacts } from '../facts/fake.ts';
import type { ActionStep, CmdStep, RunContext } from '../model/steps.ts';
import type { PlanContext, Task } from '../model/task.ts';
import type { PlannedStep, Unit } from '../run/plan.ts';
import { planOf } from '../run/plan-of.ts';
import { validatedEnv } from '../workflow/env.ts';
import { composeSecretsEnv } from '../workflow/secret-files.ts';
import { backup } from './backup.ts';
import { dockerBuild, sourceLabels } from './docker-build.ts';
import { dockerClean } from './docker-clean.ts';
import { dockerDev } from './docker-dev.ts';
import { dockerOfflineImages, findMmdebstrap } from './docker-offline-images.ts';
import { dockerRun } from './docker-run.ts';
import { verify } from './verify.ts';

const KEY = 'plan-admin-key-0123456789abcdef';

function project(env = `ADMIN_REINGEST_KEY=${KEY}\n`): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'plan-'))), 'app');
  mkdirSync(dir);
  if (env) writeFileSync(path.join(dir, '.env'), env);
  return dir;
}

async function plan(task: Task, options: Record<string, unknown> = {}, over: Partial<PlanContext> & { facts?: Facts } = {}) {
  return planOf(task, options, { cwd: project(), tasks: [backup], ...over });
}

/** Every step of the tree, in run order, with the task it belongs to (a task called twice runs once). */
function flat(unit: Unit, seen = new Set<Unit>()): { task: string; step: Exclude<PlannedStep, { kind: 'unit' | 'parallel' }> }[] {
  seen.add(unit);
  const steps = (list: readonly PlannedStep[]): ReturnType<typeof flat> =>
    list.flatMap((s) =>
      s.kind === 'unit'
        ? seen.has(s.unit)
          ? []
          : flat(s.unit, seen)
        : s.kind === 'parallel'
          ? s.branches.flatMap(steps)
          : [{ task: unit.task.name, step: s }],
    );
  return steps(unit.steps);
}
const commands = (unit: Unit) => flat(unit).flatMap(({ step }) => (step.kind === 'cmd' ? [step] : []));
const action = (unit: Unit, title: string) => flat(unit).find(({ step }) => step.kind === 'action' && step.title === title)?.step as ActionStep | undefined;
const stubRt = { log: () => {} } as unknown as RunContext;

describe('docker-build', () => {
  it('validates the environment, then checks the engine, before anything builds', async () => {
    const { unit } = await plan(dockerBuild);
    const order = flat(unit).map(({ task, step }) => `${task}:${step.kind === 'cmd' ? step.argv[1] : step.title}`);
    // First whether the image is up to date (then nothing else runs), then the environment and the engine.
    expect(order[0]).toBe('docker-build:promtior-assistant:latest: up to date?');
    expect(order.indexOf('env-check:validate the environment')).toBe(1);
    expect(order.indexOf('docker-build:check the Docker engine')).toBe(2);
    expect(order.at(-1)).toBe('docker-build:report size and build time');
  });

  it('uses the registry images when they are on the machine, else builds the stand-ins first', async () => {
    const present = fakeFacts({ images: { byRef: { 'python:3.12-slim': 'a', 'ghcr.io/astral-sh/uv:0.9': 'b', 'ollama/ollama:latest': 'c' } } });
    const registry = await plan(dockerBuild, {}, { facts: present });
    expect(flat(registry.unit).some(({ task }) => task === 'docker-offline-images')).toBe(false);
    expect(commands(registry.unit).at(-1)?.argv).toContain('PYTHON_IMAGE=python:3.12-slim');
    const offline = await plan(dockerBuild);
    expect(flat(offline.unit).some(({ task }) => task === 'docker-offline-images')).toBe(true);
  });

  it('labels the source: the commit time as build date (stable per commit), SOURCE_DATE_EPOCH first, -dirty when uncommitted', () => {
    const git = { revision: 'abc', commitTime: 1_700_000_000, dirty: false };
    expect(sourceLabels(git)).toEqual(['org.opencontainers.image.revision=abc', 'org.opencontainers.image.created=2023-11-14T22:13:20.000Z']);
    expect(sourceLabels({ ...git, dirty: true }, '0')).toEqual([
      'org.opencontainers.image.revision=abc-dirty',
      'org.opencontainers.image.created=1970-01-01T00:00:00.000Z',
    ]);
    expect(sourceLabels({ dirty: false })).toEqual(['org.opencontainers.image.revision=unknown']);
  });

  it('a registry cache export with a client without buildx is refused by a step that fails, before the build', async () => {
    const { unit } = await plan(dockerBuild, { cacheTo: ['type=registry,ref=r/c'] });
    const refuse = flat(unit).findIndex(({ step }) => step.kind === 'action' && step.title === 'check the cache export');
    const build = flat(unit).findIndex(({ step }) => step.kind === 'cmd' && step.argv[1] === 'build' && step.argv.includes('--target'));
    expect(refuse).toBeGreaterThan(0);
    expect(refuse).toBeLessThan(build);
    expect(() => action(unit, 'check the cache export')?.run(stubRt)).toThrow(
      /--cache-to type=registry,ref=r\/c needs buildx; \/usr\/bin\/docker 20.10.24 builds/,
    );
    const buildx = fakeFacts({ docker: { chosen: { bin: '/d', version: '28.0', buildkit: { ok: true, via: 'buildx' } }, bin: '/d' } });
    expect(action((await plan(dockerBuild, { cacheTo: ['type=registry,ref=r/c'] }, { facts: buildx })).unit, 'check the cache export')).toBeUndefined();
  });

  it('fingerprints the labels that say whose image it is (project, base roles), not the revision or the date', async () => {
    const checked = async (cwd: string) => {
      const { unit } = await plan(dockerBuild, {}, { cwd });
      const step = flat(unit).find(({ step }) => step.kind === 'check')?.step;
      return step?.kind === 'check' ? step.spec.values : undefined;
    };
    const here = await checked(project());
    expect(here).toMatchObject({ 'label com.promtior.tasks.project': 'app', 'label com.promtior.tasks.stand-ins': 'python,uv' });
    // The same sources in a folder of another name are another project: its image must not keep the first's label.
    const elsewhere = path.join(path.dirname(project()), 'other');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, '.env'), `ADMIN_REINGEST_KEY=${KEY}\n`);
    expect((await checked(elsewhere))?.['label com.promtior.tasks.project']).toBe('other');
    expect(Object.keys(here ?? {}).filter((k) => /revision|created/.test(k))).toEqual([]);
  });

  it('a path given as --file on the command line stays as given (parseTaskArgs made it absolute)', async () => {
    const { unit } = await plan(dockerBuild, { file: '/elsewhere/Dockerfile.custom' });
    const build = commands(unit).find((c) => c.argv.includes('--target')) as CmdStep;
    expect(build.argv[build.argv.indexOf('--file') + 1]).toBe('/elsewhere/Dockerfile.custom');
  });
});

describe('the engine check reads the facts, and fails the run (not the plan) with the fix', () => {
  it.each([
    [
      { daemon: { ok: false as const, host: 'unix:///tmp/no.sock', error: 'Cannot connect' } },
      /the Docker daemon does not answer at unix:\/\/\/tmp\/no.sock \(Cannot connect\)\. Fix: start it/,
    ],
    [{ chosen: undefined, clients: [] }, /no working docker client found on PATH/],
    [
      { chosen: { bin: '/x', version: '28', buildkit: { ok: false as const, why: 'no buildx' } } },
      /BuildKit is not usable: no buildx\. Fix: install the buildx plugin/,
    ],
  ])('%j', async (docker, message) => {
    const { unit } = await plan(dockerBuild, {}, { facts: fakeFacts({ docker }) });
    expect(() => action(unit, 'check the Docker engine')?.run(stubRt)).toThrow(message);
  });
});

describe('docker-run and docker-dev hand compose exactly what env-check validated', () => {
  it.each([
    ['docker-run', dockerRun, {}],
    ['docker-run --no-build', dockerRun, { build: false }],
    ['docker-dev', dockerDev, {}],
  ] as const)('%s: env-check runs first, then the secret files are written from its output, which every compose command reads', async (_n, task, options) => {
    const { unit } = await plan(task, options);
    const steps = flat(unit);
    const check = steps.findIndex(({ task }) => task === 'env-check');
    const secrets = steps.findIndex(({ step }) => step.kind === 'action' && step.title === 'write the secret files');
    expect(secrets).toBeGreaterThan(check);
    const write = steps[secrets]?.step as ActionStep;
    expect(write.reads).toEqual([validatedEnv]);
    expect(write.output).toBe(composeSecretsEnv);
    const compose = steps.flatMap(({ step }, i) => (step.kind === 'cmd' && step.argv[0] === 'docker-compose' ? [{ step, i }] : []));
    expect(compose.length).toBeGreaterThan(0);
    for (const c of compose) {
      expect(c.i).toBeGreaterThan(secrets);
      expect((c.step as CmdStep).envFrom).toBe(composeSecretsEnv);
    }
  });

  it('docker-run adds the start_interval override only for compose v2 on engine API 1.44+', async () => {
    const files = async (facts: Facts) =>
      commands((await plan(dockerRun, {}, { facts })).unit)
        .find((c) => c.argv.includes('up'))
        ?.argv.join(' ');
    expect(await files(fakeFacts())).not.toContain('start-interval');
    expect(await files(fakeFacts({ compose: { kind: 'v2', argv: ['/usr/bin/docker', 'compose'], version: '2.29' } }))).not.toContain('start-interval');
    expect(
      await files(
        fakeFacts({
          compose: { kind: 'v2', argv: ['/usr/bin/docker', 'compose'], version: '2.29' },
          docker: { daemon: { ok: true, version: '27', api: '1.47' } },
        }),
      ),
    ).toContain('docker-compose.start-interval.yml');
  });

  it("every compose command gets the compose flavour's own variables (v1 without the setuptools shim)", async () => {
    const facts = fakeFacts({ compose: { kind: 'v1', argv: ['docker-compose'], version: '1.29.2', env: { SETUPTOOLS_USE_DISTUTILS: 'stdlib' } } });
    for (const task of [dockerRun, dockerDev]) {
      const compose = commands((await plan(task, {}, { facts })).unit).filter((c) => c.argv[0] === 'docker-compose');
      expect(compose.length).toBeGreaterThan(0);
      for (const c of compose) expect(c.env?.SETUPTOOLS_USE_DISTUTILS).toBe('stdlib');
    }
    const plain = commands((await plan(dockerDev)).unit).filter((c) => c.argv[0] === 'docker-compose');
    for (const c of plain) expect(c.env?.SETUPTOOLS_USE_DISTUTILS).toBeUndefined();
  });

  it('docker-dev writes a .env first on a fresh clone, and tears the stack down in any case once it began to set it up', async () => {
    const fresh = await planOf(dockerDev, {}, { cwd: project(''), tasks: [backup] });
    expect(flat(fresh.unit)[1]?.step).toMatchObject({ kind: 'action', title: 'create .env for development' });
    const withEnv = await plan(dockerDev);
    expect(action(withEnv.unit, 'create .env for development')).toBeUndefined();
    const [down, rm] = commands(withEnv.unit).slice(-2);
    expect(down).toMatchObject({ always: true, argv: expect.arrayContaining(['down']) });
    // Not after a failure before the secret files (a bad .env): the project's docker-run stack would go down with it.
    expect(down?.onlyAfter?.name).toBe('compose-env');
    expect(rm?.onlyAfter?.name).toBe('compose-env');
    expect(action(withEnv.unit, 'write the secret files')?.output?.name).toBe('compose-env');
    // `down` interpolates the compose file even when env-check failed: the secret-file variables get stand-ins.
    expect(down?.env?.ADMIN_REINGEST_KEY_FILE).toMatch(/docker-compose\.full\.yml$/);
    expect(rm).toMatchObject({ always: true, argv: ['rm', '-rf', expect.stringMatching(/promtior-tasks-1000\/secrets\/app$/)] });
  });
});

describe('docker-clean', () => {
  it('without --yes, --volumes plans a refusal before anything is stopped; with --yes it plans none', async () => {
    const refused = await plan(dockerClean, { volumes: true });
    const steps = flat(refused.unit).map(({ step }) => (step.kind === 'cmd' ? step.argv.slice(-3).join(' ') : step.title));
    expect(steps.indexOf('refuse to remove volumes without --yes')).toBeLessThan(steps.findIndex((s) => s.includes('stop')));
    expect(() => action(refused.unit, 'refuse to remove volumes without --yes')?.run(stubRt)).toThrow(/Fix: add --yes to confirm/);
    const yes = await plan(dockerClean, { volumes: true }, { yes: true });
    expect(yes.lines.join('\n')).not.toMatch(/refuse|needs --yes/);
    expect(flat(yes.unit).some(({ task }) => task === 'backup')).toBe(true);
    expect(flat((await plan(dockerClean, { volumes: true, backup: false }, { yes: true })).unit).some(({ task }) => task === 'backup')).toBe(false);
  });

  it('never passes the admin key to compose: `down` gets a stand-in', async () => {
    const { lines, unit } = await plan(dockerClean);
    expect(lines.join('\n')).not.toContain(KEY);
    for (const c of commands(unit)) expect(Object.values(c.env ?? {})).not.toContain(KEY);
  });
});

describe('docker-offline-images', () => {
  it('plans a fixed rootfs path per project (no pid), removed before and after', async () => {
    const dir = project();
    const a = await planOf(dockerOfflineImages, {}, { cwd: dir });
    const b = await planOf(dockerOfflineImages, {}, { cwd: dir });
    expect(a.lines).toEqual(b.lines);
    const rm = commands(a.unit).filter((c) => c.argv[0] === 'rm');
    expect(rm.map((c) => c.always ?? false)).toEqual([false, true]);
    expect(rm[0]?.argv[2]).not.toContain(String(process.pid));
  });

  it('uses mmdebstrap only with its merged-/usr hook and the Debian keyring (else debootstrap: the same package set)', async () => {
    const dir = project();
    const bin = path.join(dir, 'prefix', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'mmdebstrap'), '#!/bin/sh\n', { mode: 0o755 });
    const maker = async () => {
      const { unit } = await planOf(dockerOfflineImages, {}, { cwd: dir, env: { PATH: bin } });
      return commands(unit)
        .find((c) => /debootstrap|mmdebstrap/.test(String(c.argv[0])))
        ?.argv.slice(0, 3);
    };
    const noSystem = path.join(dir, 'no-system-share');
    expect(findMmdebstrap({ PATH: bin }, noSystem)).toEqual({ missing: expect.stringContaining('merged-/usr hook') });
    expect(await maker()).toEqual(['debootstrap', '--variant=minbase', '--include=python3,python3-venv']);
    const hooks = path.join(dir, 'prefix', 'share', 'mmdebstrap', 'hooks', 'merged-usr');
    mkdirSync(hooks, { recursive: true });
    writeFileSync(path.join(hooks, 'setup00.sh'), '#!/bin/sh\n');
    expect(findMmdebstrap({ PATH: bin }, noSystem)).toEqual({ missing: expect.stringContaining('debian-archive-keyring') });
    mkdirSync(path.join(dir, 'prefix', 'share', 'keyrings'));
    writeFileSync(path.join(dir, 'prefix', 'share', 'keyrings', 'debian-archive-keyring.gpg'), '');
    expect(findMmdebstrap({ PATH: bin }, noSystem)).toEqual({ bin: path.join(bin, 'mmdebstrap'), hooks });
    expect(await maker()).toEqual([path.join(bin, 'mmdebstrap'), '--variant=minbase', `--hook-dir=${hooks}`]);
  });

  it('names the tool it would run when the user is not root', async () => {
    const dir = project();
    const bin = path.join(dir, 'bin');
    mkdirSync(path.join(dir, 'share', 'mmdebstrap', 'hooks', 'merged-usr'), { recursive: true });
    mkdirSync(path.join(dir, 'share', 'keyrings'));
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'mmdebstrap'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(path.join(dir, 'share', 'mmdebstrap', 'hooks', 'merged-usr', 'setup00.sh'), '');
    writeFileSync(path.join(dir, 'share', 'keyrings', 'debian-archive-keyring.gpg'), '');
    const { unit } = await planOf(dockerOfflineImages, {}, { cwd: dir, env: { PATH: bin }, facts: fakeFacts({ user: { uid: 1000 } }) });
    expect(() => action(unit, 'check debootstrap')?.run(stubRt)).toThrow(/^mmdebstrap needs root/);
  });

  it('refuses to debootstrap as a user other than root, at run time', async () => {
    const { unit } = await planOf(dockerOfflineImages, {}, { cwd: project(), facts: fakeFacts({ user: { uid: 1000 } }) });
    expect(() => action(unit, 'check debootstrap')?.run(stubRt)).toThrow(/needs root|not installed/);
  });
});

describe('build args never carry a secret (they would be baked into the image)', () => {
  const SECRET = 'Zq9XwKp7Lm3Rt8Vy';
  const refusal = async (task: Task, env: string, options: Record<string, unknown> = {}, shell: Record<string, string> = {}) => {
    const error = await planOf(task, options, { cwd: project(env), tasks: [backup], env: shell }).then(
      () => undefined,
      (e: Error) => e,
    );
    if (!error) throw new Error(`${task.name} planned a build with a secret in a build arg`);
    return error.message;
  };

  it('refuses a .env build arg built from a secret, naming the variable, file:line and the fix, in docker-build, docker-dev and verify', async () => {
    const env = `ADMIN_REINGEST_KEY=${SECRET}\nAPP_COMMAND=python3 app.py --key \${ADMIN_REINGEST_KEY}\n`;
    for (const task of [dockerBuild, dockerDev]) {
      const message = await refusal(task, env);
      expect(message).toMatch(/^\.env:2: APP_COMMAND holds the secret ADMIN_REINGEST_KEY .* baked into the image.*Fix: .*at run time/);
      expect(message).not.toContain(SECRET);
    }
    expect(await refusal(verify, `ADMIN_REINGEST_KEY=${SECRET}\nAPP_PORT=$ADMIN_REINGEST_KEY\n`)).toContain('APP_PORT holds the secret');
  });

  it('refuses DEV_COMMAND with the secret typed out, a secret from the shell, and a --build-arg holding one', async () => {
    expect(await refusal(dockerBuild, `ADMIN_REINGEST_KEY=${SECRET}\nDEV_COMMAND=run --key ${SECRET}\n`)).toContain('.env:2: DEV_COMMAND holds');
    expect(await refusal(dockerBuild, `APP_MODULE=app_${SECRET}\n`, {}, { ADMIN_REINGEST_KEY: SECRET })).toContain('.env:1: APP_MODULE holds');
    expect(await refusal(dockerBuild, `ADMIN_REINGEST_KEY=${SECRET}\n`, { buildArg: [`TOKEN=${SECRET}`] })).toContain(
      'the --build-arg option: TOKEN holds the secret ADMIN_REINGEST_KEY',
    );
  });

  it('plans the build when no build arg holds a secret', async () => {
    const { unit } = await plan(dockerBuild, { buildArg: ['EXTRA=1'] });
    const build = commands(unit).find((c) => c.argv.includes('promtior-assistant:latest') && c.argv[1] === 'build');
    expect(build?.argv.join(' ')).toContain('--build-arg EXTRA=1');
  });
});
