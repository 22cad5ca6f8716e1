/**
 * The Docker project a task acts on: the folder with the service (pyproject.toml, src/, .env) and the Docker
 * files to use. A repo's own Dockerfile and compose files win; where it has none, the assets package's are used in
 * place (never copied), with the project folder as build context and compose project directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type AssetFile, assetPath } from '@promtior/docker-assets';
import { ErrorCode, TaskError } from '../errors.ts';
import type { PlanContext } from '../model/task.ts';

export interface Project {
  /** Folder of the service; build context and compose project directory. */
  dir: string;
  /** Compose project name (what `-p` gets; also labels the images we build). */
  name: string;
}

/** `package.json` may point the tasks at a sub-folder: `"promtior-tasks": { "project": "docker/assistant" }`. */
export function resolveProject(ctx: PlanContext): Project {
  if (ctx.config.project) {
    const dir = path.resolve(ctx.cwd, ctx.config.project);
    if (!existsSync(dir)) throw new TaskError(ErrorCode.badConfig, `tasks.config.ts: project points at ${dir}, which does not exist. Fix the path.`);
    return { dir, name: composeProjectName(dir) };
  }
  const pkg = path.join(ctx.cwd, 'package.json');
  let dir = ctx.cwd;
  if (existsSync(pkg)) {
    const config = (JSON.parse(readFileSync(pkg, 'utf8')) as { 'promtior-tasks'?: { project?: unknown } })['promtior-tasks'];
    if (config?.project !== undefined) {
      if (typeof config.project !== 'string') {
        throw new TaskError(ErrorCode.badFlag, `${pkg}: "promtior-tasks.project" must be a folder path (a string), not ${JSON.stringify(config.project)}.`);
      }
      dir = path.resolve(ctx.cwd, config.project);
      if (!existsSync(dir)) throw new TaskError(ErrorCode.badFlag, `${pkg}: "promtior-tasks.project" points at ${dir}, which does not exist. Fix the path.`);
    }
  }
  return { dir, name: composeProjectName(dir) };
}

/** Compose's own project-name rule: the folder name, lower-case, only [a-z0-9_-]. */
export function composeProjectName(dir: string): string {
  return (
    path
      .basename(dir)
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '') || 'app'
  );
}

/**
 * The project's own copy of a Docker file if it has one, else the asset's (relative to the project when inside).
 * A repo migrated with `keep-both` builds from Dockerfile.optimized; one migrated with `replace` keeps the full
 * stack in docker-compose.yml (the seed's option A), recognised by its `app` service.
 */
export function dockerFile(project: Project, name: AssetFile, given?: string): string {
  if (given) return given;
  const own = (f: string) => existsSync(path.join(project.dir, f));
  if (name === 'Dockerfile' && own('Dockerfile.optimized')) return 'Dockerfile.optimized';
  if (own(name)) return name;
  if (
    name === 'docker-compose.full.yml' &&
    own('docker-compose.yml') &&
    /^ {2}app:\s*$/m.test(readFileSync(path.join(project.dir, 'docker-compose.yml'), 'utf8'))
  ) {
    return 'docker-compose.yml';
  }
  return assetPath(name);
}
