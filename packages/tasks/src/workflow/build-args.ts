/**
 * The one gate every `--build-arg` passes: a value that is, contains or was built from a secret never reaches
 * docker build, because the Dockerfile turns build args into ENV and `docker history` shows each one, so the secret
 * would be baked into the image. env-check says the same for the .env; this also covers --build-arg on the command
 * line and secrets given only in the shell.
 */
import { bakedSecret, issueLocation, loadEnv } from '@promtior/env';
import { ErrorCode, TaskError } from '../errors.ts';
import type { PlanContext } from '../model/task.ts';
import { specFor } from './env.ts';

/** Shorter secrets are not looked for inside other values: they would match ordinary words. */
const MIN_SECRET_IN_VALUE = 8;

/** Returns `args` (`KEY=value`) unchanged, or throws naming the first one that holds a secret. */
export function safeBuildArgs(ctx: PlanContext, dir: string, args: readonly string[], fromCli: readonly string[] = []): string[] {
  const spec = specFor(ctx.config);
  const secretKeys = Object.entries(spec).flatMap(([k, s]) => (s.secret ? [k] : []));
  let loaded: ReturnType<typeof loadEnv> | undefined;
  try {
    loaded = loadEnv({ cwd: dir, files: ctx.envFiles, shell: ctx.env, keys: Object.keys(spec), secretKeys });
  } catch {
    // An unreadable env file is env-check's to report; the shell's secrets are still looked for below.
  }
  const named: [string, string][] = secretKeys.flatMap((k) => {
    const v = loaded?.values[k] ?? ctx.env[k];
    return v ? [[k, v] as [string, string]] : [];
  });
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    if (!value) continue;
    const cli = fromCli.includes(arg);
    const derived = !cli && loaded?.values[key] === value ? loaded.secretFrom[key] : undefined;
    const secret = derived ?? named.find(([, v]) => v === value || (v.length >= MIN_SECRET_IN_VALUE && value.includes(v)))?.[0];
    if (!secret) continue;
    const origin = cli ? undefined : loaded?.origins[key];
    const place = cli ? 'the --build-arg option' : origin?.kind === 'file' ? issueLocation(origin) : origin ? 'the shell environment' : 'the environment';
    const { message, fix } = bakedSecret(key, secret);
    throw new TaskError(ErrorCode.badConfig, `${place}: ${message}. Fix: ${fix}.`);
  }
  return [...args];
}
