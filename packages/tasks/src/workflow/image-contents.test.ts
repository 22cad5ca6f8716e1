/** Reading an image's extracted files: everything that is there, nothing from outside the folder. */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onlyMissingMembers, readImageContents } from './image-contents.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '..', 'sbom', 'fixtures', name), 'utf8');

function tree(files: Record<string, string>, links: Record<string, string> = {}): string {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'image-fs-')));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), text);
  }
  for (const [f, target] of Object.entries(links)) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    symlinkSync(target, path.join(root, f));
  }
  return root;
}

describe('readImageContents', () => {
  it('finds the dpkg status, os-release through its relative link, and every Python distribution wherever it lies', () => {
    const root = tree(
      {
        'var/lib/dpkg/status': fixture('dpkg-status.production.txt'),
        'usr/lib/os-release': fixture('os-release.txt'),
        'opt/venv/lib/python3.11/site-packages/pip-23.0.1.dist-info/METADATA': fixture('pip-23.0.1.METADATA'),
        'usr/local/lib/python3.12/site-packages/setuptools-66.1.1.dist-info/METADATA': fixture('setuptools-66.1.1.METADATA'),
      },
      { 'etc/os-release': '../usr/lib/os-release' },
    );
    const c = readImageContents(root);
    expect(c.debs.length).toBe(11);
    expect(c.os).toMatchObject({ id: 'debian', versionId: '12' });
    expect(c.pythons.map((p) => `${p.name}@${p.version}`).sort()).toEqual(['pip@23.0.1', 'setuptools@66.1.1']);
    expect(c.pythonDirs).toEqual(['/opt/venv/lib/python3.11/site-packages', '/usr/local/lib/python3.12/site-packages']);
  });

  it("reads distroless' status.d, one file per package", () => {
    const paragraphs = fixture('dpkg-status.production.txt').split(/\n\n+/).filter(Boolean);
    const root = tree(Object.fromEntries(paragraphs.map((p, i) => [`var/lib/dpkg/status.d/pkg${i}`, `${p}\n`])));
    expect(readImageContents(root).debs.length).toBe(11);
  });

  it("never reads this machine's files through an image's absolute or escaping links", () => {
    const outside = tree({ 'etc/os-release': 'ID=host-machine\n', METADATA: 'Metadata-Version: 2.1\nName: host-secret\nVersion: 1\n' });
    const root = tree(
      {},
      {
        'etc/os-release': '/etc/os-release',
        'opt/venv/x-1.dist-info/METADATA': path.join(outside, 'METADATA'),
        'opt/venv/y-1.dist-info/METADATA': `${'../'.repeat(14)}${path.join(outside, 'METADATA').slice(1)}`,
      },
    );
    const c = readImageContents(root);
    expect(c.os).toBeUndefined();
    expect(c.pythons).toEqual([]);
  });

  it("tar's complaints about files an image lacks are not errors; others are", () => {
    expect(onlyMissingMembers('tar: var/lib/dpkg/status: Not found in archive\ntar: Exiting with failure status due to previous errors\n')).toBe(true);
    expect(onlyMissingMembers('tar: Unexpected EOF in archive\n')).toBe(false);
  });
});
