/** The Debian packages an image has installed, from its dpkg status file (/var/lib/dpkg/status). */
import { ErrorCode, TaskError } from '../errors.ts';
import { compareText } from '../text/compare.ts';
import { field, parseDeb822 } from './deb822.ts';

export interface DebPackage {
  name: string;
  version: string;
  architecture: string;
  /** The source package, when the status names one (its version only when it differs from the binary's). */
  source?: { name: string; version: string };
  maintainer?: string;
  homepage?: string;
  /** The first line of the description. */
  summary?: string;
}

/** dpkg states in which the package's files are on disk (`config-files` and `not-installed` leave none). */
const ON_DISK = new Set(['installed', 'half-installed', 'unpacked', 'half-configured', 'triggers-awaited', 'triggers-pending']);

/** The packages whose files are in the image, sorted by name and architecture. */
export function parseDpkgStatus(text: string, file = '/var/lib/dpkg/status'): DebPackage[] {
  const out: DebPackage[] = [];
  for (const p of parseDeb822(text, file)) {
    const name = field(p, 'Package');
    const status = field(p, 'Status');
    if (!name || !status)
      throw new TaskError(
        ErrorCode.checkFailed,
        `${file}:${p.line}: a paragraph without ${name ? 'Status' : 'Package'}. Fix: take the file from the image as it is.`,
      );
    const state = status.split(/\s+/)[2];
    if (!state || !ON_DISK.has(state)) continue;
    const version = field(p, 'Version');
    const architecture = field(p, 'Architecture');
    if (!version || !architecture)
      throw new TaskError(
        ErrorCode.checkFailed,
        `${file}:${p.line}: installed package ${name} has no ${version ? 'Architecture' : 'Version'}. Fix: take the file from the image as it is.`,
      );
    const pkg: DebPackage = { name, version, architecture };
    const source = field(p, 'Source')?.match(/^(\S+)(?:\s+\((\S+)\))?$/);
    if (source?.[1]) pkg.source = { name: source[1], version: source[2] ?? version };
    const maintainer = field(p, 'Maintainer');
    if (maintainer) pkg.maintainer = maintainer;
    const homepage = field(p, 'Homepage');
    if (homepage) pkg.homepage = homepage;
    const summary = field(p, 'Description')?.split('\n')[0]?.trim();
    if (summary) pkg.summary = summary;
    out.push(pkg);
  }
  return out.sort((a, b) => compareText(a.name, b.name) || compareText(a.architecture, b.architecture));
}

export interface OsRelease {
  id: string;
  versionId?: string;
  prettyName?: string;
}

/** /etc/os-release (shell-style KEY=value, values optionally quoted): the distribution, for purl's distro. */
export function parseOsRelease(text: string): OsRelease | undefined {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = line.match(/^([A-Z0-9_]+)=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*))\s*$/);
    if (m?.[1]) values.set(m[1], (m[2] ?? m[3] ?? m[4] ?? '').replace(/\\(.)/g, '$1'));
  }
  const id = values.get('ID');
  if (!id) return undefined;
  const os: OsRelease = { id };
  const versionId = values.get('VERSION_ID');
  if (versionId) os.versionId = versionId;
  const prettyName = values.get('PRETTY_NAME');
  if (prettyName) os.prettyName = prettyName;
  return os;
}
