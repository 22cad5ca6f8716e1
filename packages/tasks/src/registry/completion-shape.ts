/** What completion needs of one task, read from its options schema (cli/complete.ts turns it into candidates). */
import { flagsOf } from '../model/options.ts';
import type { Task } from '../model/task.ts';
import type { CompletionShape } from './manifest-types.ts';

/** Plain data, so that the built-ins' shapes can be cached (registry/builtin-list.ts) without their modules. */
export function completionShape(task: Task): CompletionShape {
  return {
    flags: flagsOf(task.options).map((f) => ({ flag: f.flag, key: f.key, switch: f.type === 'boolean', ...(f.choices ? { choices: [...f.choices] } : {}) })),
    positional: [...(task.positional ?? [])],
  };
}
