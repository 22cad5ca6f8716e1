/** doctor's checks of the project itself: what a build, a health wait or hot reload would trip over, found up front. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PlanContext } from '../model/task.ts';
import { checkComposeFile } from './compose-check.ts';
import { dockerFile, resolveProject } from './project.ts';

/** One line of doctor's report: what was checked, whether it holds, and the fix when it does not. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
  /** Holds, but with a caveat worth a warning (a stand-in image). */
  warn?: boolean;
}

const MUST_IGNORE = ['.env', '.venv', '__pycache__', '.git'];

export function projectChecks(ctx: PlanContext): Check[] {
  const project = resolveProject(ctx);
  const checks: Check[] = [];
  const own = (f: string) => (path.isAbsolute(f) ? 'the assets package' : 'the project');
  const dockerfile = dockerFile(project, 'Dockerfile');
  const hasSource = existsSync(path.join(project.dir, 'pyproject.toml')) && existsSync(path.join(project.dir, 'src'));
  checks.push(
    hasSource
      ? { name: 'project', ok: true, detail: `${project.dir} (Dockerfile from ${own(dockerfile)})` }
      : {
          name: 'project',
          ok: false,
          detail: `${project.dir} has no pyproject.toml and src/, which the Dockerfile copies`,
          fix: 'run the task in the service folder (-C DIR), or name it in package.json: "promtior-tasks": { "project": "path/to/service" }',
        },
  );
  const ignoreFile = path.isAbsolute(dockerfile) ? `${dockerfile}.dockerignore` : path.join(project.dir, '.dockerignore');
  const rules = existsSync(ignoreFile)
    ? readFileSync(ignoreFile, 'utf8')
        .split('\n')
        .map((l) => l.trim().replace(/\/$/, ''))
    : [];
  const missing = MUST_IGNORE.filter((m) => !rules.some((r) => r === m || r === `**/${m}`));
  checks.push(
    missing.length === 0
      ? { name: 'build context', ok: true, detail: `${path.basename(ignoreFile)} keeps ${MUST_IGNORE.join(', ')} out` }
      : {
          name: 'build context',
          ok: false,
          detail: `${existsSync(ignoreFile) ? ignoreFile : 'no .dockerignore'}: ${missing.join(', ')} would be sent to the builder (secrets, and the seed's "permission denied" build failure)`,
          fix: `add ${missing.join(', ')} to ${path.join(project.dir, '.dockerignore')} (the assets package's .dockerignore has them all)`,
        },
  );
  const composeFiles = ['docker-compose.full.yml', 'docker-compose.dev.yml'].map((f) => dockerFile(project, f as 'docker-compose.full.yml'));
  const broken = composeFiles.flatMap((f) => checkComposeFile(path.resolve(project.dir, f)));
  checks.push(
    broken.length === 0
      ? { name: 'compose files', ok: true, detail: `parse (${composeFiles.map(own).includes('the project') ? "the project's" : "the assets package's"})` }
      : {
          name: 'compose files',
          ok: false,
          detail: broken.map((b) => `${b.file}:${b.line ?? '?'}: ${b.message}`).join('; '),
          fix: 'fix the YAML at the line shown',
        },
  );
  return checks;
}
