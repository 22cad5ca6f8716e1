/**
 * Golden files for dry-runs: the expected text lives beside the test; `UPDATE_GOLDEN=1` rewrites it instead of
 * comparing (one command regenerates them all: `UPDATE_GOLDEN=1 node_modules/.bin/vitest run --project unit`).
 * Paths that differ between checkouts are replaced by placeholders before comparing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assetPath, OFFLINE_IMAGES } from '@promtior/docker-assets';

/** The text with this checkout's paths and the offline stand-in tags (which follow the assets' recipes) as placeholders. */
export function normalizePlan(text: string, projectDir: string): string {
  let out = text.split(projectDir).join('<project>');
  out = out.split(path.dirname(path.dirname(assetPath('Dockerfile')))).join('<docker-assets>');
  out = out
    .replace(/work\/(rootfs|push|verify|sbom)-[0-9a-f]{12}/g, 'work/$1-<hash>')
    .split(tmpdir())
    .join('<tmp>');
  for (const [key, tag] of Object.entries(OFFLINE_IMAGES)) out = out.split(tag).join(`<offline ${key}>`);
  return out;
}

/** Compares `actual` with the golden file, or writes it when UPDATE_GOLDEN is set. Returns the expected text. */
export function golden(file: string, actual: string): string {
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
    if (!process.env.UPDATE_GOLDEN && process.env.CI) throw new Error(`${file} is missing: run with UPDATE_GOLDEN=1 and commit it`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  return readFileSync(file, 'utf8');
}
