/**
 * Issue 9, items 3, 8 and 13 (backup side): a backup folder is input. A crafted manifest or journal must never make
 * verify pass, restore or roll back outside the project, or restore special permission bits; a corrupt manifest is
 * listed as corrupt without hiding the other backups.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.ts';
import { oldRepo, snapshot } from '../helpers/old-repo.ts';

const sha = (data: string) => createHash('sha256').update(data).digest('hex');

/**
 * An old repo with one real backup, made once by the CLI; each test tampers with its own copy. The copy keeps the
 * folder's name, which the manifest records as the project's.
 */
let template: string;
beforeAll(async () => {
  const dir = oldRepo();
  const r = await runCliAsync(['backup'], { cwd: dir });
  expect(r.code, r.all).toBe(0);
  template = dir;
});

/** A repo with one real backup; returns the repo, the backup's folder and its parsed manifest. */
function repoWithBackup() {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'backed-up-')), path.basename(template));
  cpSync(template, dir, { recursive: true, verbatimSymlinks: true });
  const id = readdirSync(path.join(dir, '.backups')).find((f) => /^\d{8}T/.test(f)) as string;
  const folder = path.join(dir, '.backups', id);
  const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
  return { dir, id, folder, manifest };
}

/** Adds a file to the backup (and its manifest entry) at `rel`, with the given content and mode. */
function plant(b: ReturnType<typeof repoWithBackup>, rel: string, content: string, mode = 0o644, where = path.join(b.folder, 'files', rel)) {
  mkdirSync(path.dirname(where), { recursive: true });
  writeFileSync(where, content);
  b.manifest.files.push({ path: rel, size: content.length, sha256: sha(content), mode });
  writeFileSync(path.join(b.folder, 'manifest.json'), JSON.stringify(b.manifest));
}

// Each case works on its own copy or repo: side by side, so their CLI starts overlap.
describe.concurrent('hostile backups', () => {
  // One unsafe path through the CLI; the other kinds (absolute, empty or . segments, NUL) differ only in what
  // readManifest's check says, and are checked there (packages/tasks/src/backup/manifest-check.test.ts).
  for (const [label, rel] of [['a ../ path', '../escaped-by-restore']] as const) {
    it(`refuses a manifest entry with ${label} in verify and in restore, and writes nothing`, async () => {
      const b = repoWithBackup();
      plant(b, rel, 'pwned\n', 0o644, path.join(b.folder, 'files', 'planted'));
      const before = snapshot(b.dir);
      const verify = await runCliAsync(['backup', '--verify', b.id], { cwd: b.dir });
      expect(verify.code, verify.all).toBe(1);
      expect(verify.stderr).toContain('is not a manifest this tool wrote');
      expect(verify.all).not.toMatch(/internal error/);
      const restore = await runCliAsync(['restore', b.id, '--files'], { cwd: b.dir });
      expect(restore.code, restore.all).toBe(1);
      expect(restore.stderr).toContain(`backup ${b.id} cannot be used`);
      expect(existsSync(path.resolve(b.dir, rel))).toBe(false);
      expect(snapshot(b.dir)).toEqual(before);
    });
  }

  it('refuses a setuid mode in verify and in restore', async () => {
    const b = repoWithBackup();
    plant(b, 'tool.sh', '#!/bin/sh\nid\n', 0o4777);
    const verify = await runCliAsync(['backup', '--verify', b.id], { cwd: b.dir });
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain('mode 4777 has bits beyond rwx (setuid, setgid or sticky)');
    const restore = await runCliAsync(['restore', b.id, '--files'], { cwd: b.dir });
    expect(restore.code).toBe(1);
    expect(existsSync(path.join(b.dir, 'tool.sh'))).toBe(false);
  });

  it('refuses a backup whose stored copy is a symlink that leaves the backup', async () => {
    const b = repoWithBackup();
    const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    writeFileSync(path.join(outside, 'secret'), 'not yours\n');
    symlinkSync(outside, path.join(b.folder, 'files', 'linked'));
    b.manifest.files.push({ path: 'linked/secret', size: 10, sha256: sha('not yours\n'), mode: 0o644 });
    writeFileSync(path.join(b.folder, 'manifest.json'), JSON.stringify(b.manifest));
    const verify = await runCliAsync(['backup', '--verify', b.id], { cwd: b.dir });
    expect(verify.code).toBe(1);
    expect(verify.stderr).toMatch(/files\/linked\/secret: files\/linked is a symlink to .*outside-/);
    expect((await runCliAsync(['restore', b.id, '--files'], { cwd: b.dir })).code).toBe(1);
    expect(existsSync(path.join(b.dir, 'linked'))).toBe(false);
  });

  it('refuses to restore through a folder of the project that is a symlink to elsewhere', async () => {
    const b = repoWithBackup();
    const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    plant(b, 'conf/app.env', 'X=1\n');
    symlinkSync(outside, path.join(b.dir, 'conf'));
    const restore = await runCliAsync(['restore', b.id, '--files'], { cwd: b.dir });
    expect(restore.code, restore.all).toBe(1);
    expect(restore.stderr).toMatch(/would write outside .*conf\/app\.env: conf is a symlink to .*outside-/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('lists a corrupt manifest as corrupt and still lists the good backups; restore from it is a clear error', async () => {
    const b = repoWithBackup();
    const bad = path.join(b.dir, '.backups', '20200101T000000Z');
    mkdirSync(bad);
    writeFileSync(path.join(bad, 'manifest.json'), '{"version": 1, "files": [');
    const list = await runCliAsync(['backup', '--list'], { cwd: b.dir });
    expect(list.code, list.all).toBe(0);
    expect(list.stdout).toContain('20200101T000000Z  CORRUPT: manifest.json is not valid JSON (corrupt or cut short)');
    expect(list.stdout).toContain(`${b.id}  by backup`);
    const restore = await runCliAsync(['restore', '20200101T000000Z', '--files'], { cwd: b.dir });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('backup 20200101T000000Z cannot be used');
    expect(restore.all).not.toMatch(/internal error|SyntaxError/);
  });

  it('backup --verify "" is a usage error and makes no backup', async () => {
    const dir = oldRepo();
    const r = await runCliAsync(['backup', '--verify', ''], { cwd: dir });
    expect(r.code).toBe(2);
    expect(existsSync(path.join(dir, '.backups'))).toBe(false);
  });

  it('migrate --rollback with nothing to roll back says so and leaves no .backups folder behind', async () => {
    const dir = oldRepo();
    const r = await runCliAsync(['migrate', '--rollback'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing to roll back');
    expect(existsSync(path.join(dir, '.backups'))).toBe(false);
  });

  it('a crafted migrate journal that points outside the project is refused, and nothing is removed', async () => {
    const dir = oldRepo();
    expect((await runCliAsync(['migrate', '--no-build'], { cwd: dir })).code).toBe(0);
    const victim = mkdtempSync(path.join(tmpdir(), 'victim-'));
    writeFileSync(path.join(victim, 'keep'), 'keep me\n');
    const journalFile = path.join(dir, '.backups', 'migrate.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8'));
    journal.entries.push({ path: path.relative(dir, path.join(victim, 'keep')), existedBefore: false, written: sha('x') });
    writeFileSync(journalFile, JSON.stringify(journal));
    const r = await runCliAsync(['migrate', '--rollback'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a journal this tool wrote \(entry "\.\.\/.*keep" leaves the folder/);
    expect(readFileSync(path.join(victim, 'keep'), 'utf8')).toBe('keep me\n');
    expect(statSync(path.join(dir, 'Dockerfile')).isFile()).toBe(true);
  });
});
