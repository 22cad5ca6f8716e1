/** Where backups live: what backup, restore, migrate and docker-clean share. */
import path from 'node:path';
import type { Project } from './project.ts';

export function backupDirOf(project: Project, dir: string): string {
  return path.resolve(project.dir, dir);
}
