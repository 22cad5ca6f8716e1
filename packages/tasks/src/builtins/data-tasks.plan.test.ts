/** What backup, restore and migrate plan, decided from the files and the facts alone (no engine). */
import { cpSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { describe, expect, it } from 'vitest';
import type { Facts } from '../facts/facts.ts';
import { fakeFacts } from '../facts/fake.ts';
import type { ActionStep, CmdStep, RunContext } from '../model/steps.ts';
import type { PlannedStep, Unit } from '../run/plan.ts';
import { planOf } from '../run/plan-of.ts';
import { backup } from './backup.ts';
import { migrate } from './migrate.ts';
import { restore } from './restore.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../../../test/fixtures/team-repos');
const SHA = 'a'.repeat(64);
const withHelper = (over: Parameters<typeof fakeFacts>[0] = {}) => fakeFacts({ images: { byRef: { [OFFLINE_IMAGES.PYTHON_IMAGE]: 'sha256:p' } }, ...over });
const volumes = { byName: { shop_data: { project: 'shop' }, shop_cache: { project: 'shop' }, other_data: { project: 'other' }, loose: {} } };

function dir(files: Record<string, string> = {}, name = 'shop'): string {
  const d = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'data-plan-'))), name);
  mkdirSync(d);
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    writeFileSync(path.join(d, f), t);
  }
  return d;
}

function corpus(shape: string): string {
  const d = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'data-plan-'))), shape);
  cpSync(path.join(CORPUS, shape), d, { recursive: true });
  return d;
}

type Leaf = Exclude<PlannedStep, { kind: 'unit' } | { kind: 'parallel' }>;
function flatSteps(steps: readonly PlannedStep[]): Leaf[] {
  return steps.flatMap((s) => (s.kind === 'unit' ? flatSteps(s.unit.steps) : s.kind === 'parallel' ? s.branches.flatMap(flatSteps) : [s]));
}
const flat = (unit: Unit): Leaf[] => flatSteps(unit.steps);
const titles = (unit: Unit) => flat(unit).map((s) => (s.kind === 'cmd' ? `$ ${s.title ?? s.argv[1]}` : s.title));
const commands = (unit: Unit) => flat(unit).filter((s): s is CmdStep => s.kind === 'cmd');
const step = (unit: Unit, title: string) => flat(unit).find((s) => s.kind === 'action' && s.title === title) as ActionStep;
const stubRt = { log: () => {} } as unknown as RunContext;

/** A manifest on disk, for restore's plan (it reads it while planning). */
function withBackup(project: string, vols: string[] = ['shop_data']): string {
  const id = '20260101T000000Z';
  const folder = path.join(project, '.backups', id);
  mkdirSync(path.join(folder, 'files'), { recursive: true });
  const manifest = {
    version: 1,
    id,
    createdAt: '2026-01-01T00:00:00.000Z',
    task: 'backup',
    project: 'shop',
    files: [{ path: '.env', size: 4, sha256: SHA, mode: 0o600 }],
    volumes: vols.map((name) => ({ name, file: `volumes/${name}.tar`, size: 10, sha256: SHA, contentSha256: SHA, files: 1 })),
  };
  writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
  return id;
}

describe('backup', () => {
  it("streams each of the project's volumes (from the facts) with its own commands, manifest last, leftovers removed", async () => {
    const { unit } = await planOf(backup, { volumes: true }, { cwd: dir({ '.env': 'A=1\n' }), facts: withHelper({ volumes }) });
    expect(titles(unit)).toEqual([
      'check the Docker engine',
      'start the backup',
      '$ size of shop_cache',
      'stream volume shop_cache',
      '$ content listing of shop_cache',
      'record volume shop_cache',
      '$ size of shop_data',
      'stream volume shop_data',
      '$ content listing of shop_data',
      'record volume shop_data',
      'write the manifest',
      'remove leftover helper containers',
      'report',
    ]);
    const size = commands(unit)[0] as CmdStep;
    expect(size.argv.slice(0, 6)).toEqual(['/usr/bin/docker', 'run', '--rm', '--init', '--network', 'none']);
    expect(size.argv).toContain(OFFLINE_IMAGES.PYTHON_IMAGE);
    expect(size.argv).toContain('shop_cache:/v:ro');
    expect(step(unit, 'remove leftover helper containers').always).toBe(true);
    expect(step(unit, 'write the manifest').reads?.map((r) => r.name)).toEqual(['backup-folder', 'shop_cache-entry', 'shop_data-entry']);
  });

  it('tasks.config.ts volumes narrows the set; no image to read them with fails the run, not the plan', async () => {
    const cwd = dir();
    const some = await planOf(backup, { volumes: true }, { cwd, facts: withHelper({ volumes }), config: { volumes: ['data'] } });
    expect(titles(some.unit).filter((t) => t.startsWith('stream'))).toEqual(['stream volume shop_data']);
    const none = await planOf(backup, { volumes: true }, { cwd, facts: fakeFacts({ volumes }) });
    expect(() => step(none.unit, 'find an image to read the volumes with').run(stubRt)).toThrow(/no image with tar is on this machine .* backups never pull/);
    expect(titles(none.unit).some((t) => t.startsWith('stream'))).toBe(false);
  });

  it('without --volumes it needs no engine and copies the Docker files only', async () => {
    const { unit, lines } = await planOf(
      backup,
      {},
      { cwd: dir({ Dockerfile: 'FROM x\n', 'notes.txt': 'x' }), facts: fakeFacts({ docker: { daemon: { ok: false, host: 'h', error: 'down' } } }) },
    );
    expect(titles(unit)).toEqual(['start the backup', 'write the manifest', 'report']);
    expect(lines.join('\n')).toContain('copy Dockerfile into its files/');
  });
});

describe('restore', () => {
  it("reads the manifest while planning: each volume's commands are in the plan, after the backup verified", async () => {
    const cwd = dir({ '.env': 'A=1\n' });
    const id = withBackup(cwd, ['shop_data', 'shop_cache']);
    const { unit } = await planOf(restore, { id }, { cwd, facts: withHelper() });
    expect(titles(unit)).toEqual([
      'check the Docker engine',
      'take the lock',
      'verify the backup',
      'restore the files',
      '$ containers using shop_data',
      'check shop_data is free',
      '$ restore shop_data',
      '$ content listing of shop_data',
      'check shop_data',
      '$ containers using shop_cache',
      'check shop_cache is free',
      '$ restore shop_cache',
      '$ content listing of shop_cache',
      'check shop_cache',
      '$ leftover helper containers',
      'remove leftover helper containers',
      'release the lock',
    ]);
    const untar = commands(unit).find((c) => c.title === 'restore shop_data') as CmdStep;
    expect(untar.argv).toContain(`${path.join(cwd, '.backups', id, 'volumes')}:/in:ro`);
    expect(untar.argv.at(-1)).toBe('find /v -mindepth 1 -delete && tar -C /v -xf /in/shop_data.tar');
    expect(step(unit, 'release the lock').always).toBe(true);
  });

  it('--files needs no engine; a missing backup stops the plan with the ones there are', async () => {
    const cwd = dir();
    const id = withBackup(cwd);
    expect(titles((await planOf(restore, { id, files: true }, { cwd })).unit)).toEqual([
      'take the lock',
      'verify the backup',
      'restore the files',
      'release the lock',
    ]);
    await expect(planOf(restore, { id: 'nope' }, { cwd })).rejects.toThrow(/no complete backup "nope" .*there are: 20260101T000000Z/);
  });
});

describe('migrate', () => {
  const offline = fakeFacts({ docker: { daemon: { ok: false, host: 'unix:///x', error: 'down' } } });

  it('with an engine it proves the result runs (docker-run of the new files), stops it, and rolls back unless proven', async () => {
    const { unit } = await planOf(migrate, {}, { cwd: corpus('db-volume') });
    expect(titles(unit)).toEqual([
      'carry over',
      'take the lock',
      'check the journal',
      'start the backup',
      'write the manifest',
      'write the files',
      'validate',
      '$ compose config',
      'rewrite the Makefile',
      'check the Docker engine',
      'start the proof',
      '$ task docker-run',
      'stop the proof',
      'roll back unless proven',
      'report',
      'release the lock',
    ]);
    const run = commands(unit).find((c) => c.title === 'task docker-run') as CmdStep;
    expect(run.argv.slice(-7)).toEqual(['docker-run', '--tag', 'db-volume:latest', '--images', 'auto', '--timeout', '120']);
    expect(
      flat(unit)
        .filter((s) => s.always)
        .map((s) => (s.kind === 'cmd' ? s.title : s.title)),
    ).toEqual(['stop the proof', 'roll back unless proven', 'release the lock']);
    expect(step(unit, 'roll back unless proven').reads?.map((r) => r.name)).toEqual(['journal', 'proof']);
  });

  it('without an engine (or with --no-build) it checks statically only, and says so', async () => {
    const cwd = corpus('db-volume');
    for (const p of [await planOf(migrate, {}, { cwd, facts: offline }), await planOf(migrate, { build: false }, { cwd })]) {
      expect(titles(p.unit)).not.toContain('$ task docker-run');
      expect(step(p.unit, 'roll back unless proven').reads?.map((r) => r.name)).toEqual(['journal', 'migrated']);
    }
    expect(titles((await planOf(migrate, { build: true }, { cwd, facts: offline })).unit)).toContain('check the Docker engine');
  });

  it('what cannot be carried stops the run first, unless --force', async () => {
    const cwd = corpus('needs-you');
    const stopped = await planOf(migrate, {}, { cwd });
    expect(titles(stopped.unit)[0]).toBe('stop: needs you');
    expect(() => step(stopped.unit, 'stop: needs you').run(stubRt)).toThrow(/migrate cannot carry 3 parts of the old set-up, so nothing was changed/);
    const forced = await planOf(migrate, {}, { cwd, force: true });
    expect(titles(forced.unit)[0]).toBe('carry over');
  });

  it('shows the mapping and the diff, with no secret value anywhere in the plan', async () => {
    const { lines, secrets } = await planOf(migrate, { build: false }, { cwd: corpus('env-secrets') });
    const text = lines.join('\n');
    expect(text).toContain('Dockerfile:3  ENV API_TOKEN=<secret>  -> API_TOKEN in .env (mode 0600, never in the image)');
    expect(text).toContain('-ENV API_TOKEN=<secret> \\');
    expect(text).toContain('add .env (mode 0600; its values are not shown)');
    expect(text).not.toContain('tok_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c');
    expect(secrets).toContain('tok_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c');
  });

  it('--rollback restores from the backup under the lock; with no journal it says so without creating .backups', async () => {
    const cwd = corpus('db-volume');
    const none = await planOf(migrate, { rollback: true }, { cwd });
    await expect(Promise.resolve().then(() => step(none.unit, 'roll back').run(stubRt))).rejects.toThrow(/nothing to roll back/);
    mkdirSync(path.join(cwd, '.backups'));
    writeFileSync(
      path.join(cwd, '.backups', 'migrate.json'),
      JSON.stringify({ status: 'in-progress', backupId: 'x', strategy: 'replace', at: '', entries: [] }),
    );
    expect(titles((await planOf(migrate, { rollback: true }, { cwd })).unit)).toEqual(['take the lock', 'roll back', 'release the lock']);
    const interrupted = await planOf(migrate, {}, { cwd });
    expect(() => step(interrupted.unit, 'stop: an earlier migrate was interrupted').run(stubRt)).toThrow(
      /interrupted half-way\. Run `task migrate --rollback`/,
    );
  });

  it('plans are pure: two plans of the same inputs are byte-identical', async () => {
    const cwd = corpus('worker');
    const text = async (facts?: Facts) => (await planOf(migrate, {}, { cwd, facts })).lines.join('\n');
    expect(await text()).toBe(await text());
    expect(await text(offline)).toBe(await text(offline));
  });
});
