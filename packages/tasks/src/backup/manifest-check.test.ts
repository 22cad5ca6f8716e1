/**
 * A crafted manifest is refused by the same reads `backup --verify` and `restore` make (readManifest, verifyBackup):
 * the cases of test/hostile/backup-manifest.test.ts that differ only in the path or field planted, checked here without
 * a CLI start each. The e2e file keeps one real CLI run per kind of refusal (a path, a mode, a symlink, a corrupt file).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBackups, type Manifest, readManifest, verifyBackup } from './manifest.ts';
import { escapesRoot, manifestProblems, unsafePath } from './manifest-check.ts';

const ID = '20261127T010000Z';
const sha = (data: string) => createHash('sha256').update(data).digest('hex');

/** A backup folder as the tool writes it: one stored file and its manifest, which `change` may tamper with. */
function backup(change: (m: Manifest, folder: string) => void = () => {}) {
  const backupDir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'manifest-check-'))), '.backups');
  const folder = path.join(backupDir, ID);
  mkdirSync(path.join(folder, 'files'), { recursive: true });
  writeFileSync(path.join(folder, 'files', '.env'), 'A=1\n');
  const m: Manifest = {
    version: 1,
    id: ID,
    createdAt: '2026-11-27T01:00:00.000Z',
    task: 'backup',
    project: 'demo',
    files: [{ path: '.env', size: 4, sha256: sha('A=1\n'), mode: 0o644 }],
    volumes: [],
  };
  change(m, folder);
  writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(m));
  return { backupDir, folder };
}

/** The message `backup --verify` and `restore` stop with, or undefined when the manifest is read. */
function refusal(backupDir: string, id = ID): string | undefined {
  try {
    readManifest(backupDir, id);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('manifest checks', () => {
  it('a backup as the tool writes it is read and verifies', async () => {
    const { backupDir } = backup();
    const m = readManifest(backupDir, ID);
    expect(await verifyBackup(backupDir, m)).toEqual([]);
  });

  for (const [label, rel, why] of [
    ['a ../ path', '../escaped-by-restore', 'leaves the folder (..)'],
    ['an absolute path', path.join(tmpdir(), 'escaped-absolute'), 'is absolute'],
    ['a path with an empty segment', 'a//b', 'is not normalised (empty or . segment)'],
    ['a path with a . segment', 'a/./b', 'is not normalised (empty or . segment)'],
    ['an empty path', '', 'is empty'],
    ['a path with a NUL byte', 'a\0b', 'contains a NUL byte'],
  ] as const) {
    it(`refuses a manifest entry with ${label}: the backup cannot be used`, () => {
      expect(unsafePath(rel)).toBe(why);
      const { backupDir, folder } = backup((m) => m.files.push({ path: rel, size: 6, sha256: sha('pwned\n'), mode: 0o644 }));
      const message = refusal(backupDir);
      expect(message).toContain(`backup ${ID} cannot be used: ${path.join(folder, 'manifest.json')} is not a manifest this tool wrote`);
      expect(message).toContain(`files.1.path: path ${JSON.stringify(rel)} ${why}`);
      expect(message).toContain('Nothing was changed');
    });
  }

  it('a plain relative path, nested or dotted, is safe', () => {
    for (const rel of ['.env', 'conf/app.env', '..hidden', 'a/b..c']) expect(unsafePath(rel), rel).toBeUndefined();
  });

  it('refuses setuid, setgid and sticky modes, and a negative one', () => {
    for (const [mode, shown] of [
      [0o4777, '4777'],
      [0o2755, '2755'],
      [0o1777, '1777'],
      [-1, '-1'],
    ] as const) {
      const { backupDir } = backup((m) => {
        (m.files[0] as { mode: number }).mode = mode;
      });
      expect(refusal(backupDir), shown).toContain(`files.0.mode: mode ${shown} has bits beyond rwx (setuid, setgid or sticky)`);
    }
  });

  it('refuses unknown keys, a manifest of another folder, and a volume whose stream is not its own file', () => {
    const base = { version: 1, id: ID, createdAt: 'x', task: 'backup', project: 'p', files: [], volumes: [] };
    expect(manifestProblems(base, ID)).toEqual([]);
    expect(manifestProblems({ ...base, extra: 1 }, ID).join('; ')).toMatch(/manifest: .*extra/);
    expect(manifestProblems(base, '20200101T000000Z')).toEqual([`id: the manifest says "${ID}" but lives in folder 20200101T000000Z`]);
    const volume = { name: 'app_data', file: 'volumes/other.tar', size: 1, sha256: sha('v'), contentSha256: sha('c'), files: 1 };
    expect(manifestProblems({ ...base, volumes: [volume] }, ID)).toEqual(['volumes.0: file must be volumes/app_data.tar, not "volumes/other.tar"']);
    expect(manifestProblems({ ...base, volumes: [{ ...volume, name: '../x', file: 'volumes/../x.tar' }] }, ID).join('; ')).toContain(
      'volumes.0.name: a Docker volume name',
    );
  });

  it('verify names a stored copy reached through a symlink that leaves the backup, and never hashes it', async () => {
    const outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'outside-')));
    writeFileSync(path.join(outside, 'secret'), 'not yours\n');
    const { backupDir } = backup((m, folder) => {
      symlinkSync(outside, path.join(folder, 'files', 'linked'));
      m.files.push({ path: 'linked/secret', size: 10, sha256: sha('not yours\n'), mode: 0o644 });
    });
    const problems = await verifyBackup(backupDir, readManifest(backupDir, ID));
    expect(problems).toEqual([`file: files/linked/secret: files/linked is a symlink to ${outside}, outside ${path.join(backupDir, ID)}`]);
  });

  it('escapesRoot: a folder on the way that is a symlink to elsewhere, or a file where a folder should be', () => {
    const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'root-')));
    const outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'outside-')));
    symlinkSync(outside, path.join(root, 'conf'));
    writeFileSync(path.join(root, 'plain'), 'x');
    mkdirSync(path.join(root, 'inside'));
    symlinkSync(path.join(root, 'inside'), path.join(root, 'alias'));
    expect(escapesRoot(root, 'conf/app.env')).toBe(`conf is a symlink to ${outside}, outside ${root}`);
    expect(escapesRoot(root, 'plain/app.env')).toBe('plain is not a folder');
    expect(escapesRoot(root, 'alias/app.env')).toBeUndefined();
    expect(escapesRoot(root, 'new/deeper/app.env')).toBeUndefined();
    expect(escapesRoot(root, 'conf')).toBeUndefined();
  });

  it('lists a corrupt manifest with its problem beside the good backups; reading it is the same refusal', () => {
    const { backupDir } = backup();
    const bad = path.join(backupDir, '20200101T000000Z');
    mkdirSync(bad);
    writeFileSync(path.join(bad, 'manifest.json'), '{"version": 1, "files": [');
    expect(listBackups(backupDir).map((b) => [b.id, b.problem])).toEqual([
      ['20200101T000000Z', 'is not valid JSON (corrupt or cut short)'],
      [ID, undefined],
    ]);
    expect(refusal(backupDir, '20200101T000000Z')).toContain('backup 20200101T000000Z cannot be used');
  });
});
