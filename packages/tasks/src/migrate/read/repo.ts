/** The old repo's files that say how its service is laid out: manifests, lock files, src/ or flat, .env keys. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { compareText } from '../../text/compare.ts';

export interface Pyproject {
  /** `[project]` exists (PEP 621): `uv pip install -r pyproject.toml` reads its dependencies. */
  hasProject: boolean;
  dependencies: string[];
  extras: string[];
  /** `[project.scripts]`: console script name -> `module:function`. */
  scripts: Record<string, string>;
  /** `[tool.poetry]` exists. */
  poetry: boolean;
  /** Why it could not be read, when it could not. */
  problem?: string;
}

export interface RepoFiles {
  dir: string;
  exists(rel: string): boolean;
  read(rel: string): string | undefined;
  pyproject?: Pyproject;
  /** requirements*.txt at the top, production ones first. */
  requirements: string[];
  lock?: 'uv.lock' | 'poetry.lock' | 'Pipfile.lock';
  /** A src/ folder holding Python code. */
  srcLayout: boolean;
}

/** The Docker set-up's own files, which `configFrom` (a backup's files/) supplies when migrate runs again. */
const SETUP_FILE = /^(Dockerfile(\..+)?|(docker-)?compose[\w.-]*\.ya?ml|\.?[\w.-]*\.?dockerignore|(GNU)?[Mm]akefile|\.env(\..+)?|tasks\.config\.(ts|mjs|js))$/;

export function readRepo(dir: string, configFrom?: string): RepoFiles {
  const where = (rel: string) => (configFrom && SETUP_FILE.test(rel) ? configFrom : dir);
  const exists = (rel: string) => existsSync(path.join(where(rel), rel));
  const read = (rel: string) => (exists(rel) && statSync(path.join(where(rel), rel)).isFile() ? readFileSync(path.join(where(rel), rel), 'utf8') : undefined);
  const top = readdirSync(dir);
  const requirements = top
    .filter((f) => /^requirements.*\.txt$/.test(f))
    .sort((a, b) => Number(/dev|test/.test(a)) - Number(/dev|test/.test(b)) || compareText(a, b));
  const text = read('pyproject.toml');
  return {
    dir,
    exists,
    read,
    pyproject: text === undefined ? undefined : readPyproject(text),
    requirements,
    lock: (['uv.lock', 'poetry.lock', 'Pipfile.lock'] as const).find((f) => exists(f)),
    srcLayout: exists('src') && statSync(path.join(dir, 'src')).isDirectory() && hasPython(path.join(dir, 'src')),
  };
}

function hasPython(dir: string, depth = 0): boolean {
  if (depth > 3) return false;
  return readdirSync(dir, { withFileTypes: true }).some((e) =>
    e.isFile() ? e.name.endsWith('.py') : e.isDirectory() && !e.name.startsWith('.') && hasPython(path.join(dir, e.name), depth + 1),
  );
}

export function readPyproject(text: string): Pyproject {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    return { hasProject: false, dependencies: [], extras: [], scripts: {}, poetry: false, problem: (error as Error).message.split('\n')[0] };
  }
  const project = (data.project ?? undefined) as Record<string, unknown> | undefined;
  const tool = (data.tool ?? {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const record = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) : {};
  return {
    hasProject: project !== undefined,
    dependencies: strings(project?.dependencies),
    extras: Object.keys((project?.['optional-dependencies'] as object | undefined) ?? {}),
    scripts: record(project?.scripts) as Record<string, string>,
    poetry: tool.poetry !== undefined,
  };
}
