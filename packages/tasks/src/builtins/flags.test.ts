import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_FLAG_WORDS } from '../model/global-flags.ts';
import { flagsOf } from '../model/options.ts';
import { isTask, type Task } from '../model/task.ts';
import { BUILTIN_TASK_FILES } from '../registry/builtin-files.ts';

const builtins: Task[] = [];
for (const file of BUILTIN_TASK_FILES) {
  const mod = (await import(path.join(import.meta.dirname, file))) as Record<string, unknown>;
  builtins.push(...Object.values(mod).filter(isTask));
}

describe('every built-in against the global flags', () => {
  it('finds every built-in', () => {
    expect(builtins.length).toBeGreaterThanOrEqual(BUILTIN_TASK_FILES.length);
  });

  it.each(builtins.map((t) => [t.name, t] as const))('%s declares no flag that is a global run flag', (_name, task) => {
    for (const f of flagsOf(task.options)) {
      const words = [`--${f.flag}`, ...(f.type === 'boolean' ? [`--no-${f.flag}`] : []), ...(f.short ? [`-${f.short}`] : [])];
      expect(
        words.filter((w) => RUN_FLAG_WORDS.has(w)),
        `${task.name} --${f.flag}`,
      ).toEqual([]);
    }
  });
});
