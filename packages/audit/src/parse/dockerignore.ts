/**
 * The one .dockerignore matcher of the repo, with Docker's own semantics through @balena/dockerignore (a port of
 * moby's fileutils: filepath.Clean on each pattern, `**`, character classes, `!` re-includes, last matching rule
 * wins, a match on a folder takes everything under it). The hand-written matcher it replaces missed `[a-c]`,
 * `./foo` and `a/../b`. Docker matches case-sensitively, so the package's default (ignore case) is turned off.
 */
import dockerignore from '@balena/dockerignore';

export interface IgnoreFile {
  file: string;
  /** The rules as written, with their lines (for reports). */
  rules: { pattern: string; negate: boolean; line: number }[];
  /** Whether a context-relative path is left out of the build context. */
  ignores(path: string): boolean;
}

export function parseDockerignore(file: string, text: string): IgnoreFile {
  const rules: IgnoreFile['rules'] = [];
  const patterns: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.trim();
    if (!t || t.startsWith('#')) return;
    patterns.push(t);
    const negate = t.startsWith('!');
    rules.push({ pattern: (negate ? t.slice(1) : t).trim(), negate, line: i + 1 });
  });
  const matcher = dockerignore.default({ ignorecase: false }).add(patterns);
  return { file, rules, ignores: (p) => matcher.ignores(p.replace(/^\.?\/+/, '')) };
}

/** Whether a context-relative path is excluded from the build context (false when there is no .dockerignore). */
export function isIgnored(ignore: IgnoreFile | undefined, path: string): boolean {
  return ignore ? ignore.ignores(path) : false;
}
