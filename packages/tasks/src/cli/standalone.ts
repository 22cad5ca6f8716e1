/**
 * Lets a `tasks/*.ts` file run on its own (`node tasks/x.ts [flags]`) with the same flags and output as
 * `task x`. A file with several tasks takes the task name as its first argument.
 */
import { fileURLToPath } from 'node:url';
import type { Task } from '../model/task.ts';

export async function runIfMain(meta: ImportMeta, ...tasks: Task[]): Promise<void> {
  if (!(meta as ImportMeta & { main?: boolean }).main) return;
  // As with bin/task.js: `node tasks/x.ts -- --env-file f` keeps Node from taking --env-file for itself.
  const args = process.argv[2] === '--' ? process.argv.slice(3) : process.argv.slice(2);
  const named = tasks.find((t) => t.name === args[0]);
  const argv = named || tasks.length !== 1 ? args : [(tasks[0] as Task).name, ...args];
  const { main } = await import('./main.ts');
  // This file is still evaluating: discovery must not import it again (that would wait on itself forever).
  process.exitCode = await main(argv, { extraTasks: tasks, selfFile: fileURLToPath(meta.url) });
}
