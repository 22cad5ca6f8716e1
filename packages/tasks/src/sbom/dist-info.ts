/**
 * The Python distributions in a venv, from each `*.dist-info/METADATA` (core metadata: RFC 822 headers, the
 * description as body). Only the headers are read.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import { type LicenseChoice, pythonLicenses } from './licenses.ts';

export interface PyDist {
  name: string;
  version: string;
  summary?: string;
  homepage?: string;
  licenses: LicenseChoice[];
}

/** Header fields of a METADATA file, each with all its values in order (Classifier and the like repeat). */
export function parseMetadataHeaders(text: string, file: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: string[] | undefined;
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (!last) throw malformed(file, i + 1, 'a continuation line before any field');
      // Multi-line values (License) are folded with spaces, some tools add a "|" margin.
      last[last.length - 1] += `\n${line.replace(/^[ \t]+\|?/, '')}`;
      continue;
    }
    const m = line.match(/^([A-Za-z0-9][A-Za-z0-9-]*):[ \t]?(.*)$/);
    if (!m?.[1]) throw malformed(file, i + 1, 'not a "Field: value" header line');
    const key = m[1].toLowerCase();
    last = headers.get(key) ?? [];
    last.push(m[2] ?? '');
    headers.set(key, last);
  }
  return headers;
}

/** One distribution from its METADATA text; `file` names it in errors (e.g. "/opt/venv/.../pip-24.0.dist-info/METADATA"). */
export function parseDistMetadata(text: string, file: string): PyDist {
  const h = parseMetadataHeaders(text, file);
  const one = (key: string) => h.get(key)?.[0]?.trim() || undefined;
  const name = one('name');
  const version = one('version');
  if (!name || !version) {
    throw new TaskError(
      ErrorCode.checkFailed,
      `${file}: no ${name ? 'Version' : 'Name'} header, so it is not core metadata of a Python distribution. Fix: point at the METADATA file inside a *.dist-info folder.`,
    );
  }
  const dist: PyDist = { name, version, licenses: pythonLicenses(one('license-expression'), h.get('license')?.[0], h.get('classifier') ?? []) };
  const summary = one('summary');
  if (summary && summary !== 'UNKNOWN') dist.summary = summary;
  const homepage = one('home-page') ?? projectUrl(h.get('project-url') ?? [], /^(home-?page|homepage|home|source|repository)$/i);
  if (homepage && homepage !== 'UNKNOWN') dist.homepage = homepage;
  return dist;
}

/** The URL of the first `Project-URL: Label, URL` whose label matches. */
function projectUrl(values: readonly string[], label: RegExp): string | undefined {
  for (const v of values) {
    const comma = v.indexOf(',');
    if (comma > 0 && label.test(v.slice(0, comma).trim())) return v.slice(comma + 1).trim();
  }
  return undefined;
}

function malformed(file: string, line: number, what: string): TaskError {
  return new TaskError(ErrorCode.checkFailed, `${file}:${line}: ${what}. Fix: point at the METADATA file inside a *.dist-info folder, as the venv has it.`);
}
