/** The repo lock as two plan steps: taken before the work, released by a teardown step that always runs. */
import path from 'node:path';
import { type Output, output } from '../model/data-flow.ts';
import { type ActionStep, action } from '../model/steps.ts';
import { acquireLock, type Lock } from './lock.ts';

export interface LockSteps {
  take: ActionStep;
  release: ActionStep;
  lock: Output<Lock>;
}

export function lockSteps(projectDir: string, backupDir: string, task: string): LockSteps {
  const lock = output<Lock>('lock');
  const where = `${path.relative(projectDir, backupDir) || '.'}/.lock.<n>`;
  return {
    lock,
    take: action(
      'take the lock',
      [`take the repo lock ${where} (one migrate or restore at a time; a lock left by a dead process is taken over)`],
      () => acquireLock(backupDir, task),
      {
        output: lock,
      },
    ),
    release: action('release the lock', [`release the repo lock ${where}`], (rt) => rt.find(lock)?.release(), { always: true, reads: [lock] }),
  };
}
