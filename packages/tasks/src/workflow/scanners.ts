/**
 * The vulnerability scanners docker-scan can run, found the way a shell and the docker CLI would find them: trivy
 * and grype on PATH, docker scout as a docker CLI plugin. Finding one reads the filesystem only (no process), so a
 * plan that depends on it stays pure; tests point PATH and HOME at folders of their own.
 */
import path from 'node:path';
import type { PlanContext } from '../model/task.ts';
import { executable, onPath } from './on-path.ts';

export const SCANNERS = ['trivy', 'grype', 'scout'] as const;
export type Scanner = (typeof SCANNERS)[number];
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface FoundScanner {
  name: Scanner;
  /** The program: the scanner's own, or the docker client for the scout plugin. */
  bin: string;
}

/** The system-wide folders the docker CLI looks in for plugins, after the user's (DOCKER_CONFIG or ~/.docker). */
export const SYSTEM_PLUGIN_DIRS = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
] as const;

function pluginDirs(env: PlanContext['env'], system: readonly string[]): string[] {
  const config = env.DOCKER_CONFIG ?? (env.HOME ? path.join(env.HOME, '.docker') : undefined);
  return [...(config ? [path.join(config, 'cli-plugins')] : []), ...system];
}

/** Every scanner installed, in the order docker-scan prefers them. */
export function findScanners(env: PlanContext['env'], dockerBin: string, systemPluginDirs: readonly string[] = SYSTEM_PLUGIN_DIRS): FoundScanner[] {
  const found: FoundScanner[] = [];
  for (const name of ['trivy', 'grype'] as const) {
    const bin = onPath(name, env);
    if (bin) found.push({ name, bin });
  }
  if (pluginDirs(env, systemPluginDirs).some((d) => executable(path.join(d, 'docker-scout')))) found.push({ name: 'scout', bin: dockerBin });
  return found;
}

/** The scanner's command line: the image, findings at `failOn` or worse, and an exit code of 1 when there are any. */
export function scanArgv(s: FoundScanner, image: string, failOn: Severity): string[] {
  const worse = SEVERITIES.slice(0, SEVERITIES.indexOf(failOn) + 1);
  if (s.name === 'trivy') return [s.bin, 'image', '--scanners', 'vuln', '--severity', worse.map((x) => x.toUpperCase()).join(','), '--exit-code', '1', image];
  if (s.name === 'grype') return [s.bin, `docker:${image}`, '--fail-on', failOn];
  return [s.bin, 'scout', 'cves', '--only-severity', worse.join(','), '--exit-code', `local://${image}`];
}

/** How to get each scanner, for the message when none is installed. */
export const HOW_TO_GET: Record<Scanner, string> = {
  trivy: 'trivy: https://trivy.dev (Debian/Ubuntu: its apt repository at https://aquasecurity.github.io/trivy-repo; macOS: brew install trivy)',
  grype: 'grype: curl -sSfL https://raw.githubusercontent.com/anchore/grype/main/install.sh | sh -s -- -b /usr/local/bin',
  scout: 'docker scout: part of Docker Desktop; elsewhere curl -fsSL https://raw.githubusercontent.com/docker/scout-cli/main/install.sh | sh',
};
