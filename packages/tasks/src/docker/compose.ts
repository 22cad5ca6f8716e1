/**
 * Compose v2 (`docker compose`, a CLI plugin) or v1 (`docker-compose`, Python): detected at run time, v2 first.
 * Both take the same subcommands we use; the differences that matter are handled in the argv built here.
 */
import { capture } from '../exec/run-command.ts';

export type ComposeFlavor = { kind: 'v2'; argv: readonly string[]; version: string } | { kind: 'v1'; argv: readonly string[]; version: string };

export async function detectCompose(dockerBin: string, cwd: string): Promise<ComposeFlavor | undefined> {
  const v2 = await capture([dockerBin, 'compose', 'version', '--short'], cwd);
  if (v2.exitCode === 0 && /^v?2\./.test(v2.stdout)) return { kind: 'v2', argv: [dockerBin, 'compose'], version: v2.stdout };
  const v1 = await capture(['docker-compose', 'version', '--short'], cwd);
  if (v1.exitCode === 0 && /^\d/.test(v1.stdout)) return { kind: 'v1', argv: ['docker-compose'], version: v1.stdout };
  return undefined;
}

export interface ComposeProject {
  files: readonly string[];
  projectName?: string;
  envFiles?: readonly string[];
}

/** `docker compose -f a -f b [-p name] [--env-file f] <args>` for either flavour. */
export function composeArgv(flavor: Pick<ComposeFlavor, 'kind' | 'argv'>, project: ComposeProject, args: readonly string[]): string[] {
  const argv = [...flavor.argv];
  for (const f of project.files) argv.push('-f', f);
  if (project.projectName) argv.push('-p', project.projectName);
  // v1 accepts a single --env-file; v2 accepts several (later wins).
  const envFiles = flavor.kind === 'v1' ? (project.envFiles ?? []).slice(-1) : (project.envFiles ?? []);
  for (const e of envFiles) argv.push('--env-file', e);
  argv.push('--ansi', 'never');
  return [...argv, ...args];
}
