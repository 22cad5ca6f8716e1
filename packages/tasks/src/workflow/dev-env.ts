/** A first `docker-dev` on a fresh clone has no .env: write one for development, with a random admin key. */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { PlanContext } from '../model/task.ts';

export function writeDevEnv(file: string, ctx: PlanContext): string {
  const key = randomBytes(32).toString('hex');
  ctx.addSecrets([key]);
  // 'wx': never overwrite a file that appeared meanwhile; 0600: the key is a secret.
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(
      fd,
      `# Written by \`task docker-dev\` for local development; see .env.example for every variable.\nENVIRONMENT=development\nADMIN_REINGEST_KEY=${key}\n`,
    );
  } finally {
    closeSync(fd);
  }
  return `wrote ${file} (mode 0600) with a generated ADMIN_REINGEST_KEY; edit it to change the configuration`;
}
