/**
 * Finding a program the way a shell would (the first executable file of that name in PATH's absolute folders),
 * reading only the filesystem: a plan that depends on what is installed stays pure, and tests point PATH at folders
 * of their own.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

export function executable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(name: string, env: Env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d))) {
    const file = path.join(dir, name);
    if (executable(file)) return file;
  }
  return undefined;
}
