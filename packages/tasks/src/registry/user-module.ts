/**
 * Imports a repo's own module (a tasks/*.ts file, tasks.config.ts) while saying which one is loading, so that a run
 * that ends before the CLI finished can name it (cli/start.cjs's exit guard; issue 9): a top-level `await` that never
 * settles leaves Node nothing to do, and it would exit 0 having done nothing. A `process.exit()` called while the
 * module loads throws instead of ending the run, so the load fails with the file's place like any other error.
 */
import { pathToFileURL } from 'node:url';

/** Where the exit guard (cli/start.cjs, plain CommonJS) finds the file being loaded: one slot on globalThis. */
export const LOADING = Symbol.for('promtior-tasks.loading');

type Slot = { [LOADING]?: string };

export async function importUserModule(file: string, shown: string): Promise<Record<string, unknown>> {
  const slot = globalThis as Slot;
  const exit = process.exit;
  slot[LOADING] = shown;
  process.exit = ((code?: number | string | null) => {
    throw new Error(`process.exit(${code ?? ''}) was called while the file loaded; a task file or config only defines tasks and settings`);
  }) as typeof process.exit;
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } finally {
    process.exit = exit;
    slot[LOADING] = undefined;
  }
}
