/** Defaults that follow the seed; each is a task option, so a repo can change it per run. */
import path from 'node:path';

export const DEFAULT_IMAGE = 'promtior-assistant:latest';
export const DOCKER_TARGETS = ['production', 'development', 'dependencies', 'base'] as const;
export const FULL_COMPOSE = 'docker-compose.full.yml';
export const DEV_COMPOSE = 'docker-compose.dev.yml';

/** Compose's own project-name rule: the folder name, lower-case, only [a-z0-9_-]. */
export function projectName(cwd: string): string {
  return (
    path
      .basename(cwd)
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '') || 'app'
  );
}
