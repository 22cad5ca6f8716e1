/** The named volumes on the machine and the compose project of each, from one `docker volume ls`. */
import { probe } from '../exec/run-command.ts';
import type { VolumeFacts } from './facts.ts';

/** The label compose puts on every volume it creates. */
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';

export async function gatherVolumes(dockerBin: string, cwd: string): Promise<VolumeFacts> {
  const r = await probe([dockerBin, 'volume', 'ls', '--format', `{{.Name}}\t{{.Label "${COMPOSE_PROJECT_LABEL}"}}`], { cwd });
  if (r.exitCode !== 0) return { byName: {}, error: r.stderr.split('\n')[0] || `exit code ${r.exitCode}` };
  return { byName: parseVolumeList(r.stdout) };
}

export function parseVolumeList(text: string): Record<string, { project?: string }> {
  const byName: Record<string, { project?: string }> = {};
  for (const line of text.split('\n')) {
    const [name = '', project = ''] = line.split('\t');
    if (name.trim()) byName[name.trim()] = project.trim() ? { project: project.trim() } : {};
  }
  return byName;
}

/** The volumes compose created for `project`, sorted. */
export function projectVolumes(volumes: VolumeFacts, project: string): string[] {
  return Object.entries(volumes.byName)
    .filter(([, v]) => v.project === project)
    .map(([name]) => name)
    .sort();
}
