/** docker-push, verify-signature and docker-run --verify-signature, planned from fake facts (no engine, no registry). */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RepoConfig } from '../config/schema.ts';
import { fakeFacts } from '../facts/fake.ts';
import type { ActionStep, CmdStep, RunContext } from '../model/steps.ts';
import type { PlannedStep, Unit } from '../run/plan.ts';
import { planOf } from '../run/plan-of.ts';
import { backup } from './backup.ts';
import { dockerPush } from './docker-push.ts';
import { dockerRun } from './docker-run.ts';
import { verifySignature } from './verify-signature.ts';

const CONFIG: RepoConfig = { registry: '127.0.0.1:5000/team', signing: { key: 'release@example.invalid', publicKey: 'release.asc' } };
const DIGEST = `sha256:${'d'.repeat(64)}`;

function repo(files: Record<string, string> = { 'package.json': '{ "version": "2.0.0" }', 'release.asc': 'key' }): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'release-plan-'))), 'shop');
  mkdirSync(dir);
  writeFileSync(path.join(dir, '.env'), 'ADMIN_REINGEST_KEY=release-plan-key-0123456789abcdef\n');
  for (const [f, t] of Object.entries(files)) writeFileSync(path.join(dir, f), t);
  return dir;
}
/** Every step, in run order (a unit called twice runs once: it is listed once). */
function flat(unit: Unit, seen = new Set<Unit>()): Exclude<PlannedStep, { kind: 'unit' | 'parallel' }>[] {
  seen.add(unit);
  const steps = (list: readonly PlannedStep[]): ReturnType<typeof flat> =>
    list.flatMap((s) => (s.kind === 'unit' ? (seen.has(s.unit) ? [] : flat(s.unit, seen)) : s.kind === 'parallel' ? s.branches.flatMap(steps) : [s]));
  return steps(unit.steps);
}
const find = (unit: Unit, title: string) => flat(unit).find((s) => s.kind === 'action' && s.title === title) as ActionStep;
const argvs = (unit: Unit) =>
  flat(unit).flatMap((s) => (s.kind === 'cmd' ? [(s as CmdStep).argv.map((a) => (typeof a === 'string' ? a : a.shown)).join(' ')] : []));
const rtWith = (values: Map<unknown, unknown>) => ({ get: (o: unknown) => values.get(o), log: () => {}, result: () => {} }) as unknown as RunContext;

describe('docker-push', () => {
  it('--registry takes a registry host and namespace only: no scheme, no credentials, nothing docker reads as an option', () => {
    const registry = dockerPush.options.shape.registry;
    for (const ok of ['ghcr.io/team', '127.0.0.1:5000/team', 'registry.example']) expect(registry.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['https://user:pw@reg.example/team', 'user:pw@reg.example', '--help', '-x', 'a b', 'Ghcr.io/Team', ''])
      expect(registry.safeParse(bad).success, bad).toBe(false);
  });

  it('tags the revision and the version (latest on request), pushes each, then reads one digest and records it', async () => {
    const { unit } = await planOf(dockerPush, { latest: true }, { cwd: repo(), config: CONFIG });
    const rev = fakeFacts().git.revision;
    expect(argvs(unit).filter((a) => / (tag|push) /.test(a))).toEqual([
      `/usr/bin/docker tag promtior-assistant:latest 127.0.0.1:5000/team/promtior-assistant:${rev}`,
      '/usr/bin/docker tag promtior-assistant:latest 127.0.0.1:5000/team/promtior-assistant:2.0.0',
      '/usr/bin/docker tag promtior-assistant:latest 127.0.0.1:5000/team/promtior-assistant:latest',
      `/usr/bin/docker push 127.0.0.1:5000/team/promtior-assistant:${rev}`,
      '/usr/bin/docker push 127.0.0.1:5000/team/promtior-assistant:2.0.0',
      '/usr/bin/docker push 127.0.0.1:5000/team/promtior-assistant:latest',
    ]);
    const read = find(unit, 'read the digest');
    const outcome = (digest: string) => ({ exitCode: 0, stdout: `x: digest: ${digest} size: 1`, stderr: '', durationMs: 1 });
    const same = new Map<unknown, unknown>((read.reads ?? []).map((o) => [o, outcome(DIGEST)]));
    expect(read.run(rtWith(same))).toEqual({ repository: '127.0.0.1:5000/team/promtior-assistant', digest: DIGEST, tags: [rev, '2.0.0', 'latest'] });
    const split = new Map<unknown, unknown>((read.reads ?? []).map((o, i) => [o, outcome(i === 0 ? DIGEST : `sha256:${'e'.repeat(64)}`)]));
    expect(() => read.run(rtWith(split))).toThrow(/the pushes did not report one digest/);
  });

  it('refuses, before anything is tagged, a dirty tree (unless --allow-dirty: then the tag says -dirty), no registry, no version', async () => {
    const dirty = fakeFacts({ git: { dirty: true } });
    const refused = await planOf(dockerPush, {}, { cwd: repo({}), facts: dirty });
    expect(() => find(refused.unit, 'check what is pushed').run({} as RunContext)).toThrow(
      /no registry to push to\. .* uncommitted changes.* --allow-dirty .* no release version/s,
    );
    const allowed = await planOf(dockerPush, { allowDirty: true }, { cwd: repo(), facts: dirty, config: CONFIG });
    expect(() => find(allowed.unit, 'check what is pushed').run({} as RunContext)).not.toThrow();
    expect(argvs(allowed.unit).some((a) => a.endsWith(`:${fakeFacts().git.revision}-dirty`))).toBe(true);
    const notGit = await planOf(dockerPush, {}, { cwd: repo(), facts: fakeFacts({ git: { revision: undefined } }), config: CONFIG });
    expect(() => find(notGit.unit, 'check what is pushed').run({} as RunContext)).toThrow(/is not a git checkout/);
  });

  it('--password-stdin: the password reaches docker login on its stdin only; never in any argv or the plan', async () => {
    const { unit, lines } = await planOf(dockerPush, { passwordStdin: true, username: 'ci' }, { cwd: repo(), config: CONFIG });
    expect(lines.join('\n')).toContain('login --username ci --password-stdin 127.0.0.1:5000 <<< (stdin)');
    for (const a of argvs(unit)) expect(a).not.toMatch(/password(?!-stdin)/);
    expect(
      argvs(unit)
        .filter((a) => a.includes(' push '))
        .every((a) => a.includes('--config')),
    ).toBe(true);
    const alone = await planOf(dockerPush, { passwordStdin: true }, { cwd: repo(), config: CONFIG });
    expect(() => find(alone.unit, 'check what is pushed').run({} as RunContext)).toThrow(/--password-stdin needs --username/);
  });

  it('--sign signs the pushed digest with the configured key, before the release is recorded', async () => {
    const { unit } = await planOf(dockerPush, { sign: true }, { cwd: repo(), config: CONFIG });
    const steps = flat(unit);
    const sign = steps.findIndex((s) => s.kind === 'cmd' && s.argv[0] === 'skopeo');
    expect(sign).toBeGreaterThan(steps.findIndex((s) => s.kind === 'action' && s.title === 'read the digest'));
    expect(sign).toBeLessThan(steps.findIndex((s) => s.kind === 'action' && s.title === 'record the release'));
    expect(argvs(unit)[argvs(unit).findIndex((a) => a.startsWith('skopeo'))]).toMatch(
      /--src-tls-verify=false --dest-tls-verify=false --sign-by release@example\.invalid docker:\/\/127\.0\.0\.1:5000\/team\/promtior-assistant@<digest> /,
    );
    const noKey = await planOf(dockerPush, { sign: true }, { cwd: repo(), config: { registry: 'r.example.com/t' } });
    expect(() => find(noKey.unit, 'check what is pushed').run({} as RunContext)).toThrow(/--sign needs the GPG key/);
  });
});

describe('verify-signature', () => {
  it('turns skopeo refusals into a clear error that says nothing ran', async () => {
    const { unit } = await planOf(verifySignature, { image: '127.0.0.1:5000/team/app:1' }, { cwd: repo(), config: CONFIG });
    const judge = find(unit, 'judge the signature');
    const refused = new Map<unknown, unknown>([
      [
        judge.reads?.[0],
        { exitCode: 1, stdout: '', stderr: 'level=fatal msg="Source image rejected: A signature was required, but no signature exists"', durationMs: 1 },
      ],
    ]);
    expect(() => judge.run(rtWith(refused))).toThrow(/^127\.0\.0\.1:5000\/team\/app:1 is not signed: .*Nothing was run\. Fix: sign it/);
  });

  it('needs an image and an existing public key, said before anything runs', async () => {
    const { unit } = await planOf(verifySignature, { key: '/nowhere/key.asc' }, { cwd: repo(), config: {} });
    expect(() => find(unit, 'check the inputs').run({} as RunContext)).toThrow(/no image to check\. .* the public key \/nowhere\/key\.asc does not exist/);
  });
});

describe('docker-run --verify-signature', () => {
  it('checks the signature, pulls, and checks the pulled digest before compose starts anything', async () => {
    const { unit } = await planOf(
      dockerRun,
      { build: false, verifySignature: true, tag: '127.0.0.1:5000/team/app:1' },
      { cwd: repo(), config: CONFIG, tasks: [backup] },
    );
    const order = flat(unit).map((s) => (s.kind === 'cmd' ? (s.argv.map(String).find((a) => ['skopeo', 'pull', 'up'].includes(a)) ?? '') : s.title));
    const judge = order.indexOf('judge the signature');
    expect(judge).toBeGreaterThan(0);
    expect(order.indexOf('pull')).toBeGreaterThan(judge);
    expect(order.indexOf('check the pulled image is the verified one')).toBeGreaterThan(order.indexOf('pull'));
    expect(order.indexOf('up')).toBeGreaterThan(order.indexOf('check the pulled image is the verified one'));
  });

  it('refuses to "verify" a local build', async () => {
    const { unit } = await planOf(dockerRun, { verifySignature: true }, { cwd: repo(), config: CONFIG, tasks: [backup] });
    expect(() => find(unit, 'refuse to verify a local build').run({} as RunContext)).toThrow(/has no signature\. Fix: add --no-build/);
  });
});
