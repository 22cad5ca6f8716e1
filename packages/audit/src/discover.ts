/**
 * Which files an audit of a folder reads when none are named: the Dockerfiles by every name Docker users give them,
 * and the compose files by compose's own names (base file, then its override). The build contexts those compose
 * files reference are added by loadInput once the compose files are read.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** `Dockerfile`, `Dockerfile.dev`, `web.Dockerfile`, `api.dockerfile`; never their `.dockerignore` files. */
export const DOCKERFILE_NAME = /^(Dockerfile(\.[\w.-]+)?|[\w.-]+\.[Dd]ockerfile)$/;

/** Compose's base file names in its own order of preference, then this project's full-stack file. */
export const COMPOSE_BASE = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml', 'docker-compose.full.yml'];
/** The override compose merges on top of the base file by default. */
export const COMPOSE_OVERRIDE = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

/** What discovery looks for, for the message when a folder holds none of it. */
export const LOOKED_FOR = `Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, ${COMPOSE_BASE.slice(0, 4).join(', ')}`;

function listFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => e.name);
}

/** The Dockerfiles directly in a folder, sorted. */
export function dockerfilesIn(dir: string): string[] {
  return listFiles(dir)
    .filter((n) => DOCKERFILE_NAME.test(n) && !n.endsWith('.dockerignore'))
    .sort();
}

export function defaultFiles(dir: string): { dockerfiles: string[]; composeFiles: string[] } {
  const names = listFiles(dir);
  const base = COMPOSE_BASE.find((n) => names.includes(n));
  const composeFiles = base ? [base, ...COMPOSE_OVERRIDE.filter((n) => names.includes(n))] : [];
  return { dockerfiles: dockerfilesIn(dir), composeFiles };
}

/** A path relative to the audited folder, with forward slashes (how findings and the service model name files). */
export function relativeTo(dir: string, file: string): string {
  const rel = path.relative(dir, path.resolve(dir, file));
  return (rel || path.basename(file)).split(path.sep).join('/');
}
