/**
 * Whether a module export is a task. Its own module, free of zod and of the model's checks: listing and finding
 * tasks (registry/manifest.ts) needs only this, and must stay as fast as a bare `node` start.
 */
import type { Task } from './task.ts';

export function isTask(value: unknown): value is Task {
  return (
    typeof value === 'object' && value !== null && typeof (value as Task).name === 'string' && typeof (value as Task).plan === 'function' && 'options' in value
  );
}
