/** The names a repo's configuration may have, in the order they are looked for. */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const CONFIG_FILES = ['tasks.config.ts', 'tasks.config.mjs', 'tasks.config.js'];

export function configFile(dir: string): string | undefined {
  return CONFIG_FILES.map((f) => path.join(dir, f)).find((f) => existsSync(f));
}
