/** What backup, restore, migrate and docker-clean share: where backups live, which volumes and helper image. */
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import type { VolumeIO } from '../backup/volumes.ts';
import { helperImage } from '../backup/volumes.ts';
import type { RunContext } from '../model/steps.ts';
import type { Project } from './project.ts';

/** The docker client a backup step runs (the chosen client's path). */
export interface DockerSetup {
  bin: string;
}

export function backupDirOf(project: Project, dir: string): string {
  return path.resolve(project.dir, dir);
}

/** The project's named volumes, found by compose's project label (what `compose up` created). */
export async function projectVolumes(rt: RunContext, setup: DockerSetup, project: Project): Promise<string[]> {
  const r = await rt.exec(
    { argv: [setup.bin, 'volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project.name}`], cwd: project.dir },
    { quiet: true },
  );
  return r.stdout.split('\n').filter(Boolean).sort();
}

export async function volumeIO(rt: RunContext, setup: DockerSetup, project: Project, appImage: string, pythonImage: string): Promise<VolumeIO> {
  const image = await helperImage(rt, setup.bin, [
    appImage,
    pythonImage,
    OFFLINE_IMAGES.PYTHON_IMAGE,
    'busybox:latest',
    'alpine:latest',
    'debian:bookworm-slim',
  ]);
  return { dockerBin: setup.bin, cwd: project.dir, image };
}
