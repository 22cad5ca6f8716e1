/**
 * The compose command line for either flavour (v2 `docker compose`, v1 `docker-compose`; which one is installed
 * is a fact, facts/compose.ts). Both take the same subcommands we use; the differences that matter are here.
 */
import type { ComposeFlavor } from '../facts/facts.ts';

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
