/**
 * Secrets as files. The shipped compose file hands the app its keys through compose `secrets:` (files mounted
 * read-only under /run/secrets, read through `*_FILE`), so no key shows in `docker inspect` or /proc/1/environ.
 * Either the platform supplies the files (`ADMIN_REINGEST_KEY_FILE=/path` in .env or the shell), or the tasks write
 * them from the validated `.env` into a private folder outside any build context, which docker-clean removes.
 *
 * Compose (v1, and v2 outside swarm) bind-mounts each file as it is on the host and ignores uid, gid and mode: the
 * file must be readable by whatever uid the app runs as (1001 in the shipped images, another in a team's own). So
 * the file is 0644 and the folders above it are 0700: on this machine only its owner (and root) can reach it, while
 * inside the container, where the mount skips those folders, the app can read it. (A file given to uid 1001 with
 * mode 0600 would lock out an app running as any other user, root without capabilities included.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { EnvError, EnvErrorCode, type EnvIssue, type EnvSpec, isRequired } from '@promtior/env';
import type { UserFacts } from '../facts/facts.ts';
import { type Output, output } from '../model/data-flow.ts';
import { type ActionStep, action, type CmdStep, cmd } from '../model/steps.ts';
import type { PlanContext } from '../model/task.ts';
import { readKeyFile } from './key-file.ts';
import type { Project } from './project.ts';
import { privateDir, userRunDir } from './work-dir.ts';

/** The variables the app takes as files, and the compose secret each becomes (/run/secrets/<secret>). */
export const SECRET_FILES = [
  { key: 'ADMIN_REINGEST_KEY', secret: 'admin_reingest_key' },
  { key: 'OPENAI_API_KEY', secret: 'openai_api_key' },
] as const;

/** The uid and gid the shipped images run the app as (the Dockerfile's APP_UID and APP_GID). */
export const APP_UID = 1001;
export const APP_GID = 1001;

/** What compose commands get in their environment: the validated values plus `KEY_FILE` paths on this machine. */
export const composeSecretsEnv = output<Readonly<Record<string, string>>>('compose-env');

/**
 * Where the tasks keep a project's secret files: the user's runtime folder (memory, removed at logout) when there is
 * one, else the temp folder; one folder per user and compose project (compose itself keys a stack on its name).
 */
export function secretsDir(project: Project, user: Pick<UserFacts, 'uid'>, env: PlanContext['env']): string {
  return path.join(userRunDir(env, user.uid), 'secrets', project.name);
}

/** The spec with each secret required only while its `KEY_FILE` is unset: either form satisfies env-check. */
export function withSecretFiles(spec: EnvSpec): EnvSpec {
  const out: Record<string, EnvSpec[string]> = { ...spec };
  for (const { key } of SECRET_FILES) {
    const s = spec[key];
    if (!s?.required || !spec[`${key}_FILE`]) continue;
    const reason = s.required === true ? `${key}_FILE is not set either` : s.required.reason;
    out[key] = {
      ...s,
      required: { when: (env) => !env[`${key}_FILE`] && isRequired(s, env), reason },
    };
  }
  return out;
}

/**
 * Run time (env-check): every `KEY_FILE` that is set names a readable file whose text (without its final newline)
 * is a valid KEY. Problems are one EnvError; the values read are masked from here on; warnings are returned.
 */
export function checkSecretFiles(spec: EnvSpec, values: Readonly<Record<string, string>>, projectDir: string, addSecrets: (v: string[]) => void): EnvIssue[] {
  const issues: EnvIssue[] = [];
  for (const { key } of SECRET_FILES) {
    const fileKey = `${key}_FILE`;
    const given = values[fileKey];
    const s = spec[key];
    if (!given || !s) continue;
    const file = path.resolve(projectDir, given);
    const problem = (message: string, fix: string) => issues.push({ severity: 'error', key: fileKey, message: `${fileKey} is ${file}, ${message}`, fix });
    const read = readKeyFile(file);
    if (!read.ok) {
      const fixes = {
        create: `create it with the key in it, or point ${fileKey} at the file that holds it`,
        readable: `make it readable by you, or point ${fileKey} at a file of the project's own that holds only ${key} (mode 0600)`,
        'own-file': `point ${fileKey} at a file of the project's own that holds only ${key} (mode 0600), or unset it and set ${key}: the tasks then write the file`,
      } as const;
      problem(read.message, fixes[read.fix]);
      continue;
    }
    const text = read.text.replace(/\r?\n$/, '');
    addSecrets([text]);
    if (values[key]) {
      issues.push({
        severity: 'warning',
        key,
        message: `${key} and ${fileKey} are both set: the file wins, as it does in the app, and ${key} is not used`,
        fix: `delete one of them`,
      });
    }
    if (text === '') {
      // Needed as if no file were named (the spec waives a secret whose _FILE is set).
      if (isRequired(s, { ...values, [fileKey]: undefined })) problem('which is empty', `write ${key} into it (${s.howTo ?? s.expected})`);
      continue;
    }
    if (!s.schema.safeParse(text).success) {
      problem(
        `which does not hold a valid ${key}: expected ${s.expected} (the text, ${text.length} characters long, is not shown)`,
        s.howTo ?? `write ${s.expected} into it`,
      );
      continue;
    }
    const unreadable = unreadableByApp(file);
    if (unreadable) {
      issues.push({
        severity: 'warning',
        key: fileKey,
        message: `${fileKey} is ${file}, ${unreadable.why}: compose mounts the file as it is, so the app (uid ${APP_UID}) cannot read it and stops`,
        fix: unreadable.own
          ? `chmod 0644 ${file} and keep it in a folder of mode 0700, or give it to uid ${APP_UID} (chown ${APP_UID} ${file})`
          : `point ${fileKey} at a file of your own that holds only ${key}, or unset it and set ${key}: the tasks then write the file (0644 in a 0700 folder)`,
      });
    }
  }
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new EnvError(EnvErrorCode.invalid, `${errors.length} secret file${errors.length > 1 ? 's' : ''} cannot be used`, issues);
  return issues;
}

/** Why the app's uid could not read the file, and whether it is the user's own to change (never advise chmod on another's file). */
function unreadableByApp(file: string): { why: string; own: boolean } | undefined {
  const st = statSync(file);
  if (st.mode & 0o004) return undefined;
  if (st.uid === APP_UID && st.mode & 0o400) return undefined;
  if (st.gid === APP_GID && st.mode & 0o040) return undefined;
  return { why: `mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}, owned by uid ${st.uid}`, own: st.uid === process.getuid?.() };
}

/**
 * The step that writes the secret files from what env-check validated and hands compose its environment. A file's
 * name changes only when its value does: compose keeps the path in the container's configuration, so a changed
 * key recreates the app on the next `up`, and an unchanged one leaves it running.
 */
export function writeSecretFiles(dir: string, projectDir: string, user: Pick<UserFacts, 'uid'>, from: Output<Readonly<Record<string, string>>>): ActionStep {
  return action(
    'write the secret files',
    [
      `write ${SECRET_FILES.map((s) => s.key).join(' and ')} (empty when unset), unless a *_FILE names a file of its own, into ${dir}/ (folders of mode 0700, files 0644)`,
      `compose gets ${SECRET_FILES.map((s) => `${s.key}_FILE`).join(' and ')}: those files, or the ones .env names`,
    ],
    (rt) => {
      const values = rt.get(from);
      const written = SECRET_FILES.filter(({ key }) => !values[`${key}_FILE`] && values[key]).map(({ key }) => key);
      const env = secretFilesEnv(dir, projectDir, user.uid, values);
      rt.log(written.length > 0 ? `secret files: ${written.join(', ')} in ${dir}/` : 'secret files: none to write');
      return env;
    },
    { reads: [from], output: composeSecretsEnv },
  );
}

/** Writes the files (run time) and returns `values` with each `KEY_FILE` set to the file compose mounts. */
export function secretFilesEnv(dir: string, projectDir: string, uid: number, values: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = { ...values };
  for (const { key, secret } of SECRET_FILES) {
    const fileKey = `${key}_FILE`;
    // An unset key is an empty file (the app reads it as unset): compose v1 warns about a /dev/null secret.
    if (values[fileKey]) env[fileKey] = path.resolve(projectDir, values[fileKey]);
    else env[fileKey] = writeSecret(dir, secret, values[key] ?? '', uid);
  }
  return env;
}

/**
 * Values for the secret-file variables that let `compose down` or `stop` interpolate the compose file without the
 * real files: any existing regular file will do (compose v1 warns about /dev/null), and the compose file is one.
 */
export function secretFileStandIns(composeFile: string): Record<string, string> {
  return Object.fromEntries(SECRET_FILES.map(({ key }) => [`${key}_FILE`, composeFile]));
}

/** Removes the folder (docker-clean, and docker-dev after its stack is down). */
export function removeSecretFiles(dir: string, cwd: string, opts: Pick<CmdStep, 'always' | 'onlyAfter'> = {}): CmdStep {
  return cmd(['rm', '-rf', dir], { cwd, ...opts });
}

function writeSecret(dir: string, secret: string, value: string, uid: number): string {
  privateDir(dir, uid);
  const versions = readdirSync(dir).filter((f) => f.startsWith(`${secret}.`) && !f.endsWith('.tmp'));
  const same = versions.find((f) => sameContent(path.join(dir, f), value));
  if (same) {
    for (const f of versions) if (f !== same) rmSync(path.join(dir, f), { force: true });
    return path.join(dir, same);
  }
  const file = path.join(dir, `${secret}.${randomBytes(6).toString('hex')}`);
  const tmp = `${file}.tmp`;
  // 'wx' with 0600 first: the value is never readable by anyone else, not even for a moment.
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, value);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o644);
  renameSync(tmp, file);
  for (const f of versions) rmSync(path.join(dir, f), { force: true });
  return file;
}

function sameContent(file: string, value: string): boolean {
  try {
    const digest = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    return digest(readFileSync(file)) === digest(value);
  } catch {
    return false;
  }
}
