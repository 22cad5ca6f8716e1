/** Builds a target of the assets' Dockerfile in a test project, on the offline stand-ins. */
import { spawnSync } from 'node:child_process';
import { assetPath, OFFLINE_IMAGES } from '@promtior/docker-assets';
import { DOCKER } from './docker.ts';
import type { ExampleProject } from './project.ts';

/** Builds a target of the assets' Dockerfile from the project, on the offline stand-ins, labelled for removeProject. */
export function buildTarget(p: ExampleProject, target: string, tag: string): string {
  const r = spawnSync(
    DOCKER,
    [
      'build',
      '--progress=plain',
      '--target',
      target,
      '--file',
      assetPath('Dockerfile'),
      '--build-arg',
      `PYTHON_IMAGE=${OFFLINE_IMAGES.PYTHON_IMAGE}`,
      '--build-arg',
      `UV_IMAGE=${OFFLINE_IMAGES.UV_IMAGE}`,
      '--build-arg',
      `APP_PORT=${p.port}`,
      '--label',
      `com.promtior.tasks.project=${p.name}`,
      '--tag',
      tag,
      '.',
    ],
    { cwd: p.dir, encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '1' } },
  );
  if (r.status !== 0) throw new Error(`building ${target} failed (${r.status}):\n${r.stderr}`);
  return `${r.stdout}\n${r.stderr}`;
}
