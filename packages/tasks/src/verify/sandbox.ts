/**
 * verify never touches the repo: it builds from a temp copy of the project (what the Dockerfile copies, plus the
 * .env), with its own image tags and compose project names, and removes all of it at the end.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SKIP = new Set(['.git', 'node_modules', '.venv', 'venv', '.backups', '__pycache__', '.tools', '.turbo']);

export function copyProject(dir: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'verify-'));
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    cpSync(path.join(dir, name), path.join(copy, name), { recursive: true, filter: (src) => !SKIP.has(path.basename(src)) });
  }
  return copy;
}

export function removeCopy(copy: string): void {
  if (existsSync(copy)) rmSync(copy, { recursive: true, force: true });
}

/** A source file to touch for the rebuild and hot-reload checks: the first .py under src/. */
export function sourceFile(copy: string): string | undefined {
  const walk = (d: string): string | undefined => {
    if (!existsSync(d)) return undefined;
    for (const n of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, n.name);
      if (n.isFile() && n.name.endsWith('.py')) return p;
      if (n.isDirectory() && !SKIP.has(n.name)) {
        const hit = walk(p);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  return walk(path.join(copy, 'src'));
}
