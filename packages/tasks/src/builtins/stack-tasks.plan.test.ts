/** Plans of the running-stack tasks (readiness, secrets, SBOM, scan, the dev view), from fake facts: no engine. */
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, TaskError } from '../errors.ts';
import type { ActionStep, RunContext } from '../model/steps.ts';
import type { PlannedStep, Unit } from '../run/plan.ts';
import { planOf } from '../run/plan-of.ts';
import { findScanners } from '../workflow/scanners.ts';
import { dockerDev } from './docker-dev.ts';
import { dockerRun } from './docker-run.ts';
import { dockerSbom } from './docker-sbom.ts';
import { dockerScan } from './docker-scan.ts';

function project(files: Record<string, string> = { '.env': 'ADMIN_REINGEST_KEY=plan-admin-key-0123456789abcdef\nAPP_PORT=8123\n' }): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'stack-plan-'))), 'shop');
  mkdirSync(dir);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

type Leaf = Exclude<PlannedStep, { kind: 'unit' } | { kind: 'parallel' }>;
const flatSteps = (list: readonly PlannedStep[]): Leaf[] =>
  list.flatMap((s) => (s.kind === 'unit' ? flatSteps(s.unit.steps) : s.kind === 'parallel' ? s.branches.flatMap(flatSteps) : [s]));
const steps = (unit: Unit): Leaf[] => flatSteps(unit.steps);
const commands = (unit: Unit) => steps(unit).flatMap((s) => (s.kind === 'cmd' ? [s] : []));
const titled = (unit: Unit, title: string) => steps(unit).find((s): s is ActionStep => s.kind === 'action' && s.title === title);

describe('docker-run', () => {
  it('polls /ready (falling back to the health path), asks Docker with `docker ps`, and says where the metrics are', async () => {
    const { lines } = await planOf(dockerRun, { build: false }, { cwd: project() });
    const text = lines.join('\n');
    expect(text).toContain('poll http://127.0.0.1:8123/ready every 0.1 s (http://127.0.0.1:8123/health if the app answers 404)');
    expect(text).toContain("the containers' state every 1 s (/usr/bin/docker ps -a --filter label=com.docker.compose.project=shop");
    expect(text).toContain('then print where the app and its metrics are (http://127.0.0.1:8123/metrics)');
    expect(text).not.toMatch(/ ps -q/);
  });

  it('tasks.config.ts readyPath and healthPath are what it polls', async () => {
    const { lines } = await planOf(dockerRun, { build: false }, { cwd: project(), config: { readyPath: '/readyz', healthPath: '/healthz' } });
    expect(lines.join('\n')).toContain('poll http://127.0.0.1:8123/readyz every 0.1 s (http://127.0.0.1:8123/healthz if the app answers 404)');
  });
});

describe('docker-dev', () => {
  it('shows the attached `compose up` through the dev view: URL, reloads, debugger, stand-ins, how to stop', async () => {
    const dir = project();
    const { unit } = await planOf(dockerDev, {}, { cwd: dir, env: { DEBUG_HOST_PORT: '9339' } });
    const up = commands(unit).find((c) => c.argv.includes('up'));
    const view = up?.view?.();
    expect(view?.title).toBe('task docker-dev · shop');
    expect(Object.fromEntries((view?.header ?? []).map((r) => [r.label, r.text]))).toEqual({
      app: 'http://127.0.0.1:8123 (starting…)',
      reloads: `edits under ${dir}/src/ restart the app (hot reload)`,
      debugger: '127.0.0.1:9339 (starting…)',
      'stand-ins': 'Ollama, the Python base, uv (Ollama answers are canned)',
      stop: 'Ctrl-C stops the stack and removes its containers',
      status: 'starting…',
    });
  });
});

describe('docker-sbom', () => {
  it('creates a container (never started), exports its files, reads them, and removes both whatever happens', async () => {
    const dir = project();
    const { unit } = await planOf(dockerSbom, { tag: 'shop:1.0' }, { cwd: dir });
    const argv = commands(unit).map((c) => c.argv.map((a) => (typeof a === 'string' ? a : a.shown)).join(' '));
    expect(argv[0]).toBe('/usr/bin/docker image inspect --format {{.Id}} shop:1.0');
    expect(argv).toContain('/usr/bin/docker create shop:1.0 sbom');
    expect(argv.find((a) => a.startsWith('/usr/bin/docker export'))).toMatch(/^\/usr\/bin\/docker export --output \S+\/image\.tar <container>$/);
    expect(argv.find((a) => a.startsWith('tar -x'))).toContain(
      'var/lib/dpkg/status var/lib/dpkg/status.d/* etc/os-release usr/lib/os-release *.dist-info/METADATA',
    );
    const cleanup = commands(unit).slice(-2);
    expect(cleanup.map((c) => [c.always, c.argv[0], c.argv[1]])).toEqual([
      [true, '/usr/bin/docker', 'rm'],
      [true, 'rm', '-rf'],
    ]);
    expect(titled(unit, 'write the SBOM')?.describe.at(-1)).toBe(`write a CycloneDX 1.6 JSON document to ${dir}/shop_1.0.cdx.json`);
  });

  it('--out - prints the document on stdout (the progress goes to stderr)', async () => {
    const { unit } = await planOf(dockerSbom, { out: '-' }, { cwd: project() });
    expect(titled(unit, 'write the SBOM')?.describe.at(-1)).toBe('write a CycloneDX 1.6 JSON document to stdout');
    expect(dockerSbom.dataOutput?.({ out: '-' })).toBe(true);
  });
});

describe('docker-scan', () => {
  /** A folder with executables of these names, to put on PATH. */
  function bin(...names: string[]): string {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'scan-bin-')));
    for (const n of names) {
      writeFileSync(path.join(dir, n), '#!/bin/sh\nexit 0\n');
      chmodSync(path.join(dir, n), 0o755);
    }
    return dir;
  }

  it('with no scanner installed, plans one step that stops with exit 2 and says how to get each', async () => {
    const env = { PATH: bin() };
    const { unit } = await planOf(dockerScan, {}, { cwd: project(), env });
    // A machine with a system-wide docker scout plugin (Docker Desktop) scans with it: then that is the plan.
    if (findScanners(env, '/usr/bin/docker').length > 0) return expect(commands(unit).at(-1)?.argv.slice(0, 3)).toEqual(['/usr/bin/docker', 'scout', 'cves']);
    expect(commands(unit)).toEqual([]);
    const step = titled(unit, 'find a vulnerability scanner');
    const error = (() => {
      try {
        step?.run({} as RunContext);
      } catch (e) {
        return e as TaskError;
      }
    })();
    expect(error).toBeInstanceOf(TaskError);
    expect(error?.exitCode).toBe(ExitCode.usage);
    expect(error?.message).toMatch(/^no vulnerability scanner is installed .* so promtior-assistant:latest was not scanned\. Fix: install one/);
    for (const s of ['trivy: https://trivy.dev', 'grype: curl', 'docker scout: ']) expect(error?.message).toContain(s);
  });

  it('runs the first installed (trivy, then grype, then the docker scout plugin) with the severity to fail on', async () => {
    const both = bin('grype', 'trivy');
    const trivy = await planOf(dockerScan, { tag: 'shop:1' }, { cwd: project(), env: { PATH: both } });
    expect(commands(trivy.unit).at(-1)?.argv).toEqual([`${both}/trivy`, 'image', '--scanners', 'vuln', '--severity', 'CRITICAL', '--exit-code', '1', 'shop:1']);
    const grype = await planOf(dockerScan, { tag: 'shop:1', scanner: 'grype', failOn: 'high' }, { cwd: project(), env: { PATH: both } });
    expect(commands(grype.unit).at(-1)?.argv).toEqual([`${both}/grype`, 'docker:shop:1', '--fail-on', 'high']);
    // docker scout is a docker CLI plugin: ~/.docker/cli-plugins/docker-scout (or DOCKER_CONFIG's, or the system's).
    const home = realpathSync(mkdtempSync(path.join(tmpdir(), 'scan-home-')));
    mkdirSync(path.join(home, '.docker', 'cli-plugins'), { recursive: true });
    writeFileSync(path.join(home, '.docker', 'cli-plugins', 'docker-scout'), '#!/bin/sh\n');
    chmodSync(path.join(home, '.docker', 'cli-plugins', 'docker-scout'), 0o755);
    const found = await planOf(dockerScan, { tag: 'shop:1', failOn: 'high' }, { cwd: project(), env: { PATH: bin(), HOME: home } });
    expect(commands(found.unit).at(-1)?.argv).toEqual([
      '/usr/bin/docker',
      'scout',
      'cves',
      '--only-severity',
      'critical,high',
      '--exit-code',
      'local://shop:1',
    ]);
  });

  it('a scanner asked for by name that is not installed stops with exit 2 too', async () => {
    const { unit } = await planOf(dockerScan, { scanner: 'grype' }, { cwd: project(), env: { PATH: bin('trivy') } });
    expect(() => titled(unit, 'find a vulnerability scanner')?.run({} as RunContext)).toThrow(/^grype is not installed, so .* grype: curl/);
    // What --dry-run prints for that step says the same (it said "grype is installed").
    expect(titled(unit, 'find a vulnerability scanner')?.describe).toEqual(['stop (exit 2): grype is not installed']);
  });
});
