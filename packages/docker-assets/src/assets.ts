/** Where the Docker assets live inside this package, so tasks and other repos can copy them. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The asset files this package ships (filled in with the Docker workflow issue). */
export const ASSET_FILES = [] as const;

export function assetPath(name: string): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'assets', name);
}
