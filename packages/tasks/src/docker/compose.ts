/**
 * Compose v2 (`docker compose`, a CLI plugin) or v1 (`docker-compose`, Python): detected at run time, v2 first.
 * Both take the same subcommands we use; the differences that matter are handled in the argv built here.
 */
import { capture } from '../exec/run-command.ts';

export type ComposeKind = 'v1' | 'v2';
export interface ComposeFlavor {
  kind: ComposeKind;
  argv: readonly string[];
  version: string;
}

export async function detectCompose(dockerBin: string, cwd: string): Promise<ComposeFlavor | undefined> {
  const v2 = await capture([dockerBin, 'compose', 'version', '--short'], cwd);
  if (v2.exitCode === 0 && /^v?2\./.test(v2.stdout)) return { kind: 'v2', argv: [dockerBin, 'compose'], version: v2.stdout };
  const v1 = await capture(['docker-compose', 'version', '--short'], cwd);
  if (v1.exitCode === 0 && /^\d/.test(v1.stdout)) return { kind: 'v1', argv: ['docker-compose'], version: v1.stdout };
  return undefined;
}

export interface ComposeProject {
  files: readonly string[];
  projectName: string;
  /** Relative paths in the compose files (build context, ./src mounts) and .env are resolved from here. */
  projectDirectory: string;
  envFiles?: readonly string[];
}

/** `docker compose -f a -f b -p name --project-directory dir [--env-file f] <args>` for either flavour. */
export function composeArgv(flavor: Pick<ComposeFlavor, 'kind' | 'argv'>, project: ComposeProject, args: readonly string[]): string[] {
  const argv = [...flavor.argv];
  for (const f of project.files) argv.push('-f', f);
  argv.push('-p', project.projectName, '--project-directory', project.projectDirectory);
  // v1 accepts a single --env-file; v2 accepts several (later wins).
  const envFiles = flavor.kind === 'v1' ? (project.envFiles ?? []).slice(-1) : (project.envFiles ?? []);
  for (const e of envFiles) argv.push('--env-file', e);
  argv.push('--ansi', 'never');
  // v1 applies deploy.resources (the CPU and memory limits) only in compatibility mode; v2 always does.
  if (flavor.kind === 'v1') argv.push('--compatibility');
  return [...argv, ...args];
}
