/**
 * What docker-sbom reads from an image's files, extracted into a folder of ours (`docker export`, then `tar -x` of
 * the few paths that matter): the dpkg status (one file, or distroless' status.d/ with one file per package), the
 * os-release, and every Python distribution's metadata (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`), wherever
 * it is: the venv, /usr/local (python:*-slim's pip), the system's dist-packages.
 *
 * The files come from the image, so they are untrusted: only regular files are read, and a link is followed only
 * inside the extracted folder (an image's `/etc/os-release -> /usr/lib/os-release` must not read this machine's).
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, TaskError } from '../errors.ts';
import { type DebPackage, type OsRelease, type PyDist, parseDistMetadata, parseDpkgStatus, parseOsRelease } from '../sbom/index.ts';
import { compareText } from '../text/compare.ts';

/** The member patterns `tar -x --wildcards` extracts from the exported filesystem. */
export const IMAGE_CONTENT_PATTERNS = [
  'var/lib/dpkg/status',
  'var/lib/dpkg/status.d/*',
  'etc/os-release',
  'usr/lib/os-release',
  '*.dist-info/METADATA',
  '*.egg-info/PKG-INFO',
] as const;

export interface ImageContents {
  os?: OsRelease;
  debs: DebPackage[];
  pythons: PyDist[];
  /** Where each Python distribution was found, for the summary (site-packages folders). */
  pythonDirs: string[];
}

/** tar's complaints that only mean "this image has no such file", which many images rightly lack. */
export function onlyMissingMembers(stderr: string): boolean {
  return stderr
    .split('\n')
    .filter(Boolean)
    .every((l) => /Not found in archive|Exiting with failure status due to previous errors/.test(l));
}

export function readImageContents(root: string): ImageContents {
  const debs = [
    ...parseFile(root, 'var/lib/dpkg/status', (t, f) => parseDpkgStatus(t, f)),
    ...listDir(root, 'var/lib/dpkg/status.d').flatMap((f) => parseFile(root, `var/lib/dpkg/status.d/${f}`, (t, file) => parseDpkgStatus(t, file))),
  ];
  const osText = readInside(root, 'etc/os-release') ?? readInside(root, 'usr/lib/os-release');
  const pythons: PyDist[] = [];
  const dirs = new Set<string>();
  for (const rel of walk(root, '')) {
    if (!/\.dist-info\/METADATA$|\.egg-info\/PKG-INFO$/.test(rel)) continue;
    const text = readInside(root, rel);
    if (text === undefined) continue;
    pythons.push(parseDistMetadata(text, `/${rel}`));
    dirs.add(`/${path.posix.dirname(path.posix.dirname(rel))}`);
  }
  return { ...(osText ? { os: parseOsRelease(osText) } : {}), debs: dedupeDebs(debs), pythons, pythonDirs: [...dirs].sort() };
}

function parseFile<T>(root: string, rel: string, parse: (text: string, file: string) => T[]): T[] {
  const text = readInside(root, rel);
  return text === undefined ? [] : parse(text, `/${rel}`);
}

/** A regular file's text, following links only within `root`; undefined when there is none. */
function readInside(root: string, rel: string, hops = 0): string | undefined {
  const file = path.join(root, rel);
  if (!isInside(root, file)) return undefined;
  const st = lstatSync(file, { throwIfNoEntry: false });
  if (!st) return undefined;
  if (st.isSymbolicLink()) {
    if (hops >= 8) return undefined;
    const target = readlinkSync(file);
    const next = path.posix.isAbsolute(target) ? target.slice(1) : path.posix.join(path.posix.dirname(rel), target);
    return readInside(root, path.posix.normalize(next), hops + 1);
  }
  if (!st.isFile()) return undefined;
  if (st.size > 64 * 1024 * 1024) {
    throw new TaskError(ErrorCode.checkFailed, `/${rel} in the image is ${st.size} bytes, far more than a package database holds. Fix: check the image.`);
  }
  return readFileSync(file, 'utf8');
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function listDir(root: string, rel: string): string[] {
  const dir = path.join(root, rel);
  const st = lstatSync(dir, { throwIfNoEntry: false });
  return st?.isDirectory() ? readdirSync(dir).sort() : [];
}

/** Every path under `root` (relative, posix), without following links. */
function* walk(root: string, rel: string): Generator<string> {
  for (const name of listDir(root, rel)) {
    const child = rel ? `${rel}/${name}` : name;
    const st = lstatSync(path.join(root, child));
    if (st.isDirectory()) yield* walk(root, child);
    else yield child;
  }
}

function dedupeDebs(debs: DebPackage[]): DebPackage[] {
  const seen = new Map<string, DebPackage>();
  for (const d of debs) seen.set(`${d.name}:${d.architecture}`, d);
  return [...seen.values()].sort((a, b) => compareText(a.name, b.name) || compareText(a.architecture, b.architecture));
}
