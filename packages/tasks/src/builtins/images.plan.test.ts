/** How the Docker tasks plan their images (registry first, pull, stand-in, refusal), from fake facts alone. */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Facts } from '../facts/facts.ts';
import { fakeFacts } from '../facts/fake.ts';
import type { ActionStep, CmdStep, RunContext } from '../model/steps.ts';
import type { Task } from '../model/task.ts';
import type { PlannedStep, Unit } from '../run/plan.ts';
import { planOf } from '../run/plan-of.ts';
import { backup } from './backup.ts';
import { dockerBuild } from './docker-build.ts';
import { dockerDev } from './docker-dev.ts';
import { dockerOfflineImages } from './docker-offline-images.ts';
import { dockerRun } from './docker-run.ts';

function project(): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'images-plan-'))), 'app');
  mkdirSync(dir);
  writeFileSync(path.join(dir, '.env'), 'ADMIN_REINGEST_KEY=images-plan-key-0123456789abcdef\n');
  return dir;
}

const plan = (task: Task, options: Record<string, unknown> = {}, facts?: Facts) => planOf(task, options, { cwd: project(), facts, tasks: [backup] });
/** Every step, in run order, with its task (a unit called twice runs once: it is listed once). */
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
/** The distinct units of `task` in the graph. */
function unitsOf(root: Unit, task: Task): Set<Unit> {
  const found = new Set<Unit>();
  const seen = new Set<Unit>();
  const walk = (u: Unit) => {
    if (seen.has(u)) return;
    seen.add(u);
    if (u.task === task) found.add(u);
    for (const d of u.deps) walk(d);
    const steps = (list: readonly PlannedStep[]): void => {
      for (const s of list) {
        if (s.kind === 'unit') walk(s.unit);
        else if (s.kind === 'parallel') s.branches.forEach(steps);
      }
    };
    steps(u.steps);
  };
  walk(root);
  return found;
}
const label = ({ task, step }: ReturnType<typeof flat>[number]) => `${task}: ${step.kind === 'cmd' ? step.argv.slice(1, 3).join(' ') : step.title}`;
const digest = (c: string) => ({ ok: true as const, digest: `sha256:${c.repeat(64)}`, ms: 3 });
const mirror = fakeFacts({
  registry: {
    mirrors: ['http://127.0.0.1:5000/'],
    pullable: { ...fakeFacts().registry.pullable, 'python:3.12-slim': digest('a'), 'ollama/ollama:latest': digest('c') },
  },
});
const logs = (step: ActionStep) => {
  const lines: string[] = [];
  step.run({ log: (l: string) => lines.push(l) } as unknown as RunContext);
  return lines;
};

describe('docker-build: registry first', () => {
  it('pulls what the registry has, builds only the stand-ins it lacks, then builds, labelled', async () => {
    const { unit } = await plan(dockerBuild, {}, mirror);
    const order = flat(unit).map(label);
    expect(order).toEqual([
      'docker-build: promtior-assistant:latest: up to date?',
      'env-check: validate the environment',
      'docker-build: check the Docker engine',
      'docker-build: announce the pulls',
      'docker-build: pull python:3.12-slim',
      'docker-offline-images: check the Docker engine',
      'docker-offline-images: build --progress=plain',
      'docker-build: build --progress=plain',
      'docker-build: report size and build time',
    ]);
    const build = flat(unit).at(-2)?.step as CmdStep;
    expect(build.argv).toEqual(expect.arrayContaining(['PYTHON_IMAGE=python:3.12-slim', 'com.promtior.tasks.stand-ins=uv']));
    const offline = flat(unit).find(({ step }) => step.kind === 'cmd' && step.argv.includes('--tag'))?.step as CmdStep;
    expect(offline.argv.join(' ')).toContain('offline/uv');
  });

  it('--images registry stops before anything is pulled or built, naming each image the registry cannot give', async () => {
    const { unit } = await plan(dockerBuild, { images: 'registry' }, mirror);
    const steps = flat(unit);
    const check = steps.findIndex(({ step }) => step.kind === 'action' && step.title === 'check the registry images');
    const firstPull = steps.findIndex(({ step }) => step.kind === 'cmd' && step.argv[1] === 'pull');
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(firstPull);
    expect(steps.some(({ task }) => task === 'docker-offline-images')).toBe(false);
    expect(() => (steps[check]?.step as ActionStep | undefined)?.run({} as RunContext)).toThrow(
      /^ghcr\.io\/astral-sh\/uv:0\.9 \(uv\) is not on this machine and cannot be pulled: the daemon cannot reach the registry: .*no such host\. Fix: /,
    );
  });

  it('the report warns about each stand-in the build used', async () => {
    const { unit } = await plan(dockerBuild, {}, mirror);
    const report = flat(unit).at(-1)?.step as ActionStep;
    expect(report.describe.at(-1)).toMatch(/^then print: warning: uv is the local stand-in .*: it is a shell script/);
  });
});

describe('docker-run and docker-dev', () => {
  it('docker-run pulls Ollama itself and warns after the stack is up; the stand-ins are one call shared with docker-build', async () => {
    const offline = await plan(dockerRun);
    expect(unitsOf(offline.unit, dockerOfflineImages).size).toBe(1);
    expect(flat(offline.unit).at(-1)?.step).toMatchObject({ kind: 'action', title: 'warn when the stack uses stand-ins' });
    const pulled = await plan(dockerRun, {}, mirror);
    expect(flat(pulled.unit).map(label)).toContain('docker-run: pull ollama/ollama:latest');
  });

  it('docker-run --no-build still prepares Ollama (here: its stand-in) and reads the app image label for the warning', async () => {
    const { unit } = await plan(dockerRun, { build: false });
    expect([...unitsOf(unit, dockerOfflineImages)].map((u) => u.options.only)).toEqual([['python', 'uv', 'ollama']]);
    expect((flat(unit).at(-1)?.step as ActionStep | undefined)?.describe[0]).toContain('com.promtior.tasks.stand-ins label of promtior-assistant:latest');
  });

  it('docker-dev warns before the stack runs in the foreground', async () => {
    const steps = flat((await plan(dockerDev)).unit);
    const warn = steps.findIndex(({ step }) => step.kind === 'action' && step.title === 'warn when the stack uses stand-ins');
    expect(warn).toBeGreaterThan(0);
    expect(warn).toBeLessThan(steps.findIndex(({ step }) => step.kind === 'cmd' && step.argv.includes('up')));
  });
});

describe('docker-offline-images --only', () => {
  it('builds only the stand-ins asked for; Ollama brings the Python base it is built on', async () => {
    const only = async (names: string[]) =>
      flat((await plan(dockerOfflineImages, { only: names })).unit)
        .flatMap(({ step }) => (step.kind === 'cmd' ? [step.argv.join(' ')] : []))
        .join(' ');
    expect(await only(['uv'])).not.toContain('debootstrap');
    expect(await only(['uv'])).toContain('offline/uv');
    const ollama = await only(['ollama']);
    expect(ollama).toContain('debootstrap');
    expect(ollama).toContain('offline/ollama');
    expect(ollama).not.toContain('offline/uv');
  });

  it('the stand-in warning step logs what it described', async () => {
    const { unit } = await planOf(dockerRun, {}, { cwd: project(), tasks: [backup] });
    const build = flat(unit).find(({ step }) => step.kind === 'action' && step.title === 'report size and build time')?.step as ActionStep;
    expect(build.describe.filter((d) => d.startsWith('then print: warning:'))).toHaveLength(2);
    const warn = flat((await plan(dockerBuild, {}, mirror)).unit).find(({ step }) => step.kind === 'action' && step.title === 'announce the pulls')
      ?.step as ActionStep;
    expect(logs(warn)).toEqual([
      expect.stringMatching(/^pulling python:3\.12-slim \(Python base\): it is not on this machine, and the registry has sha256:a{12}/),
    ]);
  });
});
