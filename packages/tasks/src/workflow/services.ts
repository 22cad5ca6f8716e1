/**
 * The services of a repo's stack: those its compose files define (every stack: the full one and the development
 * override) and those tasks.config.ts names under `services`. Tasks that take a service name check it against
 * these, and completion offers them. Reading files only; a file that cannot be read adds nothing here (the compose
 * check of the task that runs compose names it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readYaml } from '@promtior/audit/yaml';
import type { RepoConfig } from '../config/schema.ts';
import { ErrorCode, usageError } from '../errors.ts';
import type { PlanContext } from '../model/task.ts';
import { suggest } from '../text/suggest.ts';
import { dockerFile, resolveProject } from './project.ts';

/** Compose files of every stack, in merge order (full, then the development override), as docker-clean names them. */
export function stackFileNames(config: RepoConfig): string[] {
  return config.composeFiles?.dev ?? ['docker-compose.full.yml', 'docker-compose.dev.yml'];
}

/** Those files as paths: tasks.config.ts composeFiles.dev, else full + dev (the project's own, else the assets'). */
export function stackFiles(ctx: Pick<PlanContext, 'cwd' | 'config'>): string[] {
  const project = resolveProject(ctx as PlanContext);
  const files = stackFileNames(ctx.config);
  return files.map((f) => (path.isAbsolute(f) ? f : path.resolve(project.dir, dockerFile(project, f as 'docker-compose.full.yml'))));
}

/** Service names the compose files define, sorted. */
export function composeServices(files: readonly string[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const data = readYaml(text, file).data as { services?: unknown } | undefined;
    const services = data && typeof data === 'object' ? data.services : undefined;
    if (services && typeof services === 'object' && !Array.isArray(services)) for (const name of Object.keys(services)) names.add(name);
  }
  return [...names].sort();
}

/**
 * The stack's services (compose files and config), the files read, and every file whose appearance would change
 * which are read (the project's own copies of the assets' files), or nothing when the project cannot be found.
 */
export function stackServices(ctx: { cwd: string; config: RepoConfig }): { names: string[]; files: string[]; inputs: string[] } {
  let files: string[];
  let dir: string;
  try {
    files = stackFiles(ctx);
    dir = resolveProject(ctx as PlanContext).dir;
  } catch {
    return { names: [], files: [], inputs: [] };
  }
  const names = new Set([...composeServices(files), ...Object.keys(ctx.config.services ?? {})]);
  const own = [...stackFileNames(ctx.config), 'docker-compose.yml'].filter((f) => !path.isAbsolute(f)).map((f) => path.join(dir, f));
  return { names: [...names].sort(), files, inputs: [...new Set([...files, ...own])] };
}

/** A service name typed on the command line, checked while planning: an unknown one is a usage error with the fix. */
export function checkService(ctx: Pick<PlanContext, 'cwd' | 'config'>, service: string): void {
  const { names, files } = stackServices(ctx);
  // Nothing could be read: compose itself will say what is wrong, after the compose check names broken files.
  if (names.length === 0 || names.includes(service)) return;
  const hint = suggest(service, names);
  throw usageError(
    ErrorCode.badFlag,
    `unknown service "${service}": the stack (${files.map((f) => path.relative(ctx.cwd, f) || f).join(', ')}${ctx.config.services ? ', tasks.config.ts services' : ''}) has ${names.join(', ')}.${hint ? ` Did you mean ${hint}?` : ''}`,
  );
}
