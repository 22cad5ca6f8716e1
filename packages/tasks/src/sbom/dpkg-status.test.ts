import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskError } from '../errors.ts';
import { compareText } from '../text/compare.ts';
import { type DebPackage, parseDpkgStatus, parseOsRelease } from './dpkg-status.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('parseDpkgStatus on real status files', () => {
  it('reads the production image: names, versions with epochs, ~ and +, architectures, source packages', () => {
    const pkgs = parseDpkgStatus(fixture('dpkg-status.production.txt'));
    expect(pkgs.map((p) => p.name)).toEqual([
      'base-files',
      'dpkg',
      'libc6',
      'libgcc-s1',
      'libpython3.11-stdlib',
      'libssl3',
      'python3-pip-whl',
      'python3-venv',
      'python3.11-minimal',
      'tzdata',
      'zlib1g',
    ]);
    const by = Object.fromEntries(pkgs.map((p) => [p.name, p]));
    expect(by.zlib1g).toMatchObject({ version: '1:1.2.13.dfsg-1', architecture: 'amd64', source: { name: 'zlib', version: '1:1.2.13.dfsg-1' } });
    expect(by.libssl3?.version).toBe('3.0.20-1~deb12u2');
    expect(by.libc6).toMatchObject({
      source: { name: 'glibc' },
      homepage: 'https://www.gnu.org/software/libc/libc.html',
      summary: 'GNU C Library: Shared libraries',
    });
    // "Source: python3-defaults (3.11.2-1)": the source's own version, not the binary's 3.11.2-1+b1.
    expect(by['python3-venv']).toMatchObject({ version: '3.11.2-1+b1', source: { name: 'python3-defaults', version: '3.11.2-1' } });
    expect(by.tzdata?.architecture).toBe('all');
    expect(by['base-files']?.source).toBeUndefined();
    expect(by.dpkg?.maintainer).toBe('Dpkg Developers <debian-dpkg@lists.debian.org>');
  });

  it("reads the runtime-minimal image's records: the packages whose files it ships, no shell or package manager", () => {
    const names = parseDpkgStatus(fixture('dpkg-status.runtime-minimal.txt')).map((p) => p.name);
    expect(names).toHaveLength(30);
    expect(names).toEqual(expect.arrayContaining(['libc6', 'libssl3', 'python3.11-minimal', 'libpython3.11-stdlib', 'zlib1g']));
    for (const absent of ['dash', 'bash', 'dpkg', 'apt', 'python3-pip-whl', 'coreutils']) expect(names).not.toContain(absent);
  });

  it('leaves out packages whose files are gone (config-files, not-installed)', () => {
    const text = fixture('dpkg-status.production.txt')
      .replace(/^(Package: tzdata\n(?:.+\n)*?Status:) install ok installed$/m, '$1 deinstall ok config-files')
      .replace(/^(Package: dpkg\n(?:.+\n)*?Status:) install ok installed$/m, '$1 purge ok not-installed');
    const names = parseDpkgStatus(text).map((p) => p.name);
    expect(names).not.toContain('tzdata');
    expect(names).not.toContain('dpkg');
    expect(names).toHaveLength(9);
  });

  it('a malformed file is an error naming file:line and the fix', () => {
    const broken = `${fixture('dpkg-status.production.txt').split('\n').slice(0, 3).join('\n')}\nthis is not a field\n`;
    expect(() => parseDpkgStatus(broken, 'image:/var/lib/dpkg/status')).toThrow(/^image:\/var\/lib\/dpkg\/status:4: not a "Field: value" line.*Fix: /);
    expect(() => parseDpkgStatus(' leading continuation\n', 'f')).toThrow(/^f:1: a continuation line outside a field/);
    expect(() => parseDpkgStatus('Package: x\nStatus: install ok installed\nArchitecture: all\n', 'f')).toThrow(/^f:1: installed package x has no Version/);
  });
});

const name = fc.stringMatching(/^[a-z0-9][a-z0-9+.-]{0,20}$/);
const version = fc.stringMatching(/^([0-9]:)?[0-9][A-Za-z0-9.+~-]{0,15}$/);
const pkg = fc.record(
  {
    name,
    version,
    architecture: fc.constantFrom('amd64', 'arm64', 'all'),
    source: fc.record({ name, version }),
    maintainer: fc.stringMatching(/^[A-Za-z][A-Za-z .]{0,20} <[a-z]{1,8}@[a-z]{1,8}\.org>$/),
    summary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.:()-]{0,40}[A-Za-z0-9.)]$/),
  },
  { requiredKeys: ['name', 'version', 'architecture'] },
);

/** The status paragraph dpkg would write for `p`, with a multi-line description. */
function render(p: DebPackage): string {
  return [
    `Package: ${p.name}`,
    'Status: install ok installed',
    p.maintainer ? `Maintainer: ${p.maintainer}` : '',
    `Architecture: ${p.architecture}`,
    p.source ? `Source: ${p.source.name}${p.source.version !== p.version ? ` (${p.source.version})` : ''}` : '',
    `Version: ${p.version}`,
    p.summary ? `Description: ${p.summary}\n A longer text.\n .\n More.` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

describe('parseDpkgStatus, properties', () => {
  it('reads back what dpkg would write, for any packages', () => {
    fc.assert(
      fc.property(fc.uniqueArray(pkg, { selector: (p) => `${p.name}/${p.architecture}`, maxLength: 8 }), fc.constantFrom('\n\n', '\n\n\n'), (pkgs, sep) => {
        const parsed = parseDpkgStatus(`${pkgs.map(render).join(sep)}\n`);
        const expected = [...pkgs].sort((a, b) => compareText(a.name, b.name) || compareText(a.architecture, b.architecture));
        expect(parsed).toEqual(expected);
      }),
    );
  });

  it('any text either parses or fails with a TaskError, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'P', ':', ' ', '\t', '\n', 'Package: x', 'Status: install ok installed', '(', ')') }), (text) => {
        try {
          parseDpkgStatus(text, 'f');
        } catch (error) {
          expect(error).toBeInstanceOf(TaskError);
        }
      }),
    );
  });
});

describe('parseOsRelease', () => {
  it("reads the image's /etc/os-release", () => {
    expect(parseOsRelease(fixture('os-release.txt'))).toEqual({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
  });

  it('takes single quotes, escapes and unquoted values; no ID means unknown', () => {
    expect(parseOsRelease('ID=\'alpine\'\nVERSION_ID=3.20.1\nPRETTY_NAME="Alpine \\"Linux\\""\n')).toEqual({
      id: 'alpine',
      versionId: '3.20.1',
      prettyName: 'Alpine "Linux"',
    });
    expect(parseOsRelease('NAME=x\n')).toBeUndefined();
  });
});
