/**
 * Resolves the environment the way docker compose does: `.env` files in order (a later file wins),
 * then the shell environment over all of them. Reads files only; never touches process.env.
 *
 * Besides the values it reports every problem in the files (capped, see issues.ts) and every value that is secret:
 * the schema's secrets, values built from them by `$` interpolation, and values of keys that are a typo of one.
 * Memory stays proportional to what is kept: with `keys` given, only those keys and the ones a value refers to.
 */
import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { FileKeys, secretNames } from './checks/keys.ts';
import { DotenvComparison, type Reading } from './dotenv/dotenv-comparison.ts';
import type { Source } from './dotenv/interpolate.ts';
import { type EnvEntry, normalizeDotenv, type ParseProblem, scanDotenv } from './dotenv/parse.ts';
import { describeDifference } from './dotenv/portability.ts';
import { referencedNames } from './dotenv/references.ts';
import { EnvError, EnvErrorCode, type EnvIssue } from './errors.ts';
import { readEnvFile } from './files/read-env-file.ts';
import { IssueCollector } from './issues.ts';
import { type Kept, KeptValues } from './kept-values.ts';
import { NameMatcher } from './text/did-you-mean.ts';
import { escapeControls, showName } from './text/escape.ts';
import { hashOf } from './text/name-table.ts';

export type Origin = { kind: 'file'; file: string; line: number } | { kind: 'shell' };

export interface ResolvedEnv {
  /** The values of `keys` (of every variable in the files and the shell when `keys` is not given). */
  values: Record<string, string>;
  origins: Record<string, Origin>;
  /** Files read, as given (relative to cwd when they were). */
  files: string[];
  /**
   * The folder they are relative to, where `.env` is looked for: named when a variable is missing and no file was
   * read. Optional, so that a ResolvedEnv built by hand (a caller of validateEnv) stays valid.
   */
  dir?: string;
  /** Problems in the files: the first ones in full, then one issue that counts the rest. */
  issues: EnvIssue[];
  /** Every secret value met in the files and the shell, and every value derived from one: to mask, never to print. */
  secrets: string[];
  /** For each key whose value is a secret or was built from one: that secret's name. */
  secretFrom: Record<string, string>;
  /** Issues in the files beyond the ones listed, counted by severity (the last listed issue says so). */
  omitted: { error: number; warning: number };
}

export interface LoadOptions {
  cwd: string;
  /** Explicit --env-file paths; when empty, `.env` is read if it exists. */
  files?: readonly string[];
  /**
   * How messages name the folder of the default `.env` (e.g. `docker/assistant`, the project folder as seen from where
   * the command ran): its issues then say `docker/assistant/.env:4`. Default: `.env` alone.
   */
  shownDir?: string;
  shell?: Readonly<Record<string, string | undefined>>;
  /** Only these keys are taken from the shell (the spec's keys), so unrelated variables do not leak in. */
  keys?: readonly string[];
  /** The spec's secret keys: their values, values built from them and values of their typos are secret. */
  secretKeys?: readonly string[];
}

export function loadEnv(opts: LoadOptions): ResolvedEnv {
  const shell = opts.shell ?? {};
  // Copied once: process.env answers each lookup through the C library, and a Map never finds Object.prototype's.
  const shellVars = new Map(Object.entries(shell).filter((kv): kv is [string, string] => kv[1] !== undefined));
  const fromShell = (name: string) => shellVars.get(name);
  const isSecret = secretNames(opts.secretKeys ?? [], opts.keys ?? []);
  const files = envFiles(opts);
  const explicit = (opts.files ?? []).length > 0;
  const texts = files.map((file) => {
    const { text, invalidUtf8Line } = readEnvFile(explicit ? path.resolve(opts.cwd, file) : path.join(opts.cwd, '.env'), file, explicit);
    return { file, src: normalizeDotenv(text), invalidUtf8Line };
  });
  const specKeys = new Set(opts.keys ?? []);
  // With `keys` given, only they and the names some value refers to are worth keeping while the files are read.
  const kept = opts.keys
    ? referencedNames(
        texts.map((t) => t.src),
        opts.keys,
      )
    : undefined;
  const store = new KeptValues(kept);
  const matcher = new NameMatcher(opts.keys ?? []);
  const secrets = new Set<string>();
  const report = new IssueCollector();

  let base = 0; // where this file starts when the texts are counted one after the other
  texts.forEach(({ file, src, invalidUtf8Line }, f) => {
    if (invalidUtf8Line !== undefined) report.add('warning', () => notUtf8(file, invalidUtf8Line));
    const inStore = store.source(src);
    const keys = new FileKeys(src, file, specKeys.size > 0 ? matcher : undefined);
    const compare = new DotenvComparison(src, (e, theirs) => {
      if (report.full) report.skip('warning');
      else report.add('warning', differenceWarning(file, e, theirs));
    });
    // Inside a file, compose looks up `$VAR` in the shell first, then in earlier files, then in earlier lines.
    const earlier = (name: string): Source | undefined => {
      const s = fromShell(name);
      return s !== undefined ? { value: s } : store.before(name, f);
    };
    scanDotenv(src, {
      lookup: (name) => {
        const s = fromShell(name);
        return s !== undefined ? { value: s } : store.visible(name, f);
      },
      lookupBare: earlier,
      isSecret,
      secretKeys: opts.secretKeys,
      normalized: true,
      onEntry: (e) => {
        if (e.secret) secrets.add(e.value);
        for (const name of e.unset) {
          if (report.full) report.skip('warning');
          else report.add('warning', unsetWarning(file, e, name));
        }
        compare.add(e);
        // A bare key the shell does not set changes nothing in compose: it can be a typo, not a duplicate.
        const sets = !e.inherited || fromShell(e.key) !== undefined;
        // Both tables look the key up: hashed once.
        const h = hashOf(src, e.keyAt, e.keyAt + e.key.length);
        keys.see(e, sets, h);
        if (sets) store.set(inStore, e, base + e.offset, f, h);
      },
      onProblem: (make, offset) => {
        compare.problem(offset);
        if (report.full) report.skip('error');
        else report.add('error', inFile(file, make));
      },
    });
    compare.finish();
    for (const w of keys.warnings((t) => fileOrigin(store.latest(t), texts))) report.add('warning', w);
    base += src.length;
  });

  const values: Record<string, string> = Object.create(null);
  const origins: Record<string, Origin> = Object.create(null);
  const secretFrom: Record<string, string> = Object.create(null);
  for (const [key, slot] of store.entries()) {
    if (opts.keys && !specKeys.has(key)) continue;
    values[key] = slot.value;
    origins[key] = fileOrigin(slot, texts) as Origin;
    if (slot.secret) secretFrom[key] = slot.secret;
  }
  for (const key of opts.keys ?? Object.keys(shell)) {
    const v = fromShell(key);
    if (v === undefined) continue;
    values[key] = v;
    origins[key] = { kind: 'shell' };
    if (isSecret(key)) secretFrom[key] = key;
    else delete secretFrom[key];
  }
  // Referenced from a file or not, a secret in the shell is masked.
  for (const key of opts.secretKeys ?? []) {
    const v = fromShell(key);
    if (v) secrets.add(v);
  }
  secrets.delete('');
  return { values, origins, files, dir: opts.cwd, issues: report.issues(files), secrets: [...secrets], secretFrom, omitted: { ...report.omitted } };
}

function fileOrigin(slot: Kept | undefined, texts: readonly { file: string }[]): Origin | undefined {
  const file = slot && texts[slot.file]?.file;
  return slot && file !== undefined ? { kind: 'file', file, line: slot.line } : undefined;
}

/** The files to read: the ones given (each must exist), or `.env` when there is one. */
function envFiles(opts: LoadOptions): string[] {
  const explicit = opts.files ?? [];
  const missing = explicit.filter((f) => !exists(path.resolve(opts.cwd, f)));
  if (missing.length > 0) {
    throw new EnvError(
      EnvErrorCode.fileMissing,
      `env file not found: ${missing.map(escapeControls).join(', ')} (looked in ${escapeControls(opts.cwd)}). Fix: check the --env-file path, or create the file from .env.example`,
    );
  }
  if (explicit.length > 0) return [...explicit];
  return exists(path.join(opts.cwd, '.env')) ? [opts.shownDir ? path.join(opts.shownDir, '.env') : '.env'] : [];
}

/** Anything at the path counts, even a dangling link or one we may not stat: reading it says what is wrong. */
function exists(p: string): boolean {
  if (existsSync(p)) return true;
  try {
    lstatSync(p);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}

/*
 * The issues of one line, as functions that build the text when the report shows it. Made here, not by closures in
 * the callbacks above: a closure there would put the callback's arguments in a heap-allocated context on every call,
 * for every line of the file, whether the report shows it or not.
 */

function unsetWarning(file: string, e: EnvEntry, name: string): () => Omit<EnvIssue, 'severity'> {
  return () => ({
    key: e.key,
    file,
    line: e.line,
    message: `${showName(e.key)} refers to $${name}, which is not set: compose substitutes an empty string`,
    fix: `set ${name}, or write a literal $ as $$ (or single-quote the value)`,
  });
}

function differenceWarning(file: string, e: EnvEntry, theirs: Reading): () => Omit<EnvIssue, 'severity'> {
  return () => ({ file, ...describeDifference(e, theirs(e)) });
}

function inFile(file: string, make: () => ParseProblem): () => Omit<EnvIssue, 'severity'> {
  return () => ({ file, ...make() });
}

function notUtf8(file: string, line: number): Omit<EnvIssue, 'severity'> {
  return {
    file,
    line,
    message: `the file is not valid UTF-8 from this line on: compose passes the bytes through as they are, this check reads them as U+FFFD`,
    fix: 'save the file as UTF-8 (iconv -f LATIN1 -t UTF-8, or your editor\'s "Save with encoding")',
  };
}
