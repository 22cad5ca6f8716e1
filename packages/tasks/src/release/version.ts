/**
 * The version a release is tagged with: the one changesets manages (package.json's `version`), read from the repo
 * root, else from the project folder, else pyproject.toml's `[project] version` (a Python service's own).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface FoundVersion {
  version: string;
  /** The file it came from. */
  file: string;
}

export function releaseVersion(dirs: readonly string[]): FoundVersion | undefined {
  for (const dir of dirs) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: unknown }).version;
        if (typeof version === 'string' && version !== '') return { version, file: pkg };
      } catch {
        // A broken package.json is not ours to report here: look further.
      }
    }
    const pyproject = path.join(dir, 'pyproject.toml');
    if (existsSync(pyproject)) {
      const version = pyprojectVersion(readFileSync(pyproject, 'utf8'));
      if (version) return { version, file: pyproject };
    }
  }
  return undefined;
}

/** `version = "..."` in the `[project]` table (enough of TOML for this one key). */
export function pyprojectVersion(text: string): string | undefined {
  let inProject = false;
  for (const line of text.split('\n')) {
    const table = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (table) inProject = table[1]?.trim() === 'project';
    else if (inProject) {
      const m = /^\s*version\s*=\s*["']([^"']+)["']/.exec(line);
      if (m) return m[1];
    }
  }
  return undefined;
}
