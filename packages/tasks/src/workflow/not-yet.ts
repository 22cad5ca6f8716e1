/** A step for work that is planned but not built yet: it says so and fails, instead of pretending. */
import { ErrorCode, TaskError } from '../errors.ts';
import { action } from '../model/steps.ts';

export function notYet(task: string, what: readonly string[]) {
  return action(`${task} (planned only)`, [...what, `${task} only plans so far: running it fails with NOT_IMPLEMENTED`], async () => {
    throw new TaskError(ErrorCode.notImplemented, `${task} is registered and plans its work, but does not run it yet. Nothing was changed.`);
  });
}
