/**
 * The release record: one JSON line per push in `.releases/images.jsonl` at the repo root, committed with the
 * code, so the repo says which digest each revision and version was pushed as (and whether it was signed).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const RELEASE_RECORD = path.join('.releases', 'images.jsonl');

export interface ReleaseEntry {
  pushedAt: string;
  repository: string;
  tags: string[];
  digest: string;
  revision: string;
  version: string;
  signed: boolean;
}

export function releaseLine(entry: ReleaseEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

export function appendRelease(repoDir: string, entry: ReleaseEntry): string {
  const file = path.join(repoDir, RELEASE_RECORD);
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, releaseLine(entry));
  return file;
}
