/**
 * migrate's steps, each saying exactly what it does: show the mapping (and stop on "needs you" unless --force),
 * check the journal, write the journal then each file atomically, validate, rewrite the Makefile, and roll back
 * whatever a later step could not prove. The files written are in the plan already (their diff is the dry-run).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../backup/atomic.ts';
import { checkpoint } from '../backup/checkpoint.ts';
import { isSecretFile } from '../backup/files.ts';
import type { Manifest } from '../backup/manifest.ts';
import type { RepoConfig } from '../config/schema.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { type Output, output } from '../model/data-flow.ts';
import { action } from '../model/steps.ts';
import type { PlanContext } from '../model/task.ts';
import { checkWorkflowEnv } from '../workflow/env.ts';
import { type Mapping, mappingLine, sortMapping } from './carry/types.ts';
import { type Change, type Migration, type Strategy, sha256 } from './changes.ts';
import { unifiedDiff } from './diff.ts';
import { type Journal, readJournal, writeJournal } from './journal.ts';
import { rollback } from './rollback.ts';
import { parseProblems } from './validate.ts';

/** Stops the run before anything changes when something cannot be carried (unless --force). */
export function needsYouStep(list: readonly Mapping[]) {
  return action(
    'stop: needs you',
    ['stop: these lines cannot be carried over (fix them, or run again with --force to migrate without them):', ...list.map((m) => `  ${mappingLine(m)}`)],
    () => {
      throw new TaskError(
        ErrorCode.migrateFailed,
        `migrate cannot carry ${list.length} part${list.length > 1 ? 's' : ''} of the old set-up, so nothing was changed. Fix them (or move them into your code), or run again with --force to migrate without them.`,
        { details: ['needs you:', ...list.map((m) => `  ${m.from.file}:${m.from.line}: ${m.from.text ? `${m.from.text}: ` : ''}${m.to}`)] },
      );
    },
  );
}

/** The mapping (old line -> new setting) and the warnings, shown by the dry-run and logged by the run. */
export function mappingStep(m: Migration) {
  const lines = [...sortMapping(m.setup.carry.mapping).map((x) => `  ${mappingLine(x)}`), ...m.setup.carry.warnings.map((w) => `  warning: ${w}`)];
  return action('carry over', [`carry the old set-up over (old line -> new setting; preset ${m.config.preset}):`, ...lines], (rt) => {
    for (const l of lines) rt.log(l.trim());
  });
}

export interface WriteOptions {
  dir: string;
  backupDir: string;
  strategy: Strategy;
  force: boolean;
  /** The journal as it was when planning: a done one means migrate ran before (its backup holds the old set-up). */
  previous?: Journal;
}

/** Inside the lock: a half-done earlier migrate stops here; files edited since the last migrate stop it too (unless --force). */
export function journalCheckStep(o: WriteOptions, changes: readonly Change[], lock: Output<unknown>) {
  return action(
    'check the journal',
    [`stop if ${path.relative(o.dir, o.backupDir)}/migrate.json says an earlier migrate was cut short, or a file it wrote was edited since (unless --force)`],
    () => {
      const previous = readJournal(o.backupDir);
      if (previous?.status === 'in-progress') {
        throw new TaskError(
          ErrorCode.migrateFailed,
          `an earlier migrate (backup ${previous.backupId}) was interrupted half-way. Run \`task migrate --rollback\` to restore the files from that backup, then migrate again.`,
        );
      }
      if (JSON.stringify(previous) !== JSON.stringify(o.previous))
        throw new TaskError(ErrorCode.migrateFailed, 'another migrate changed this repo since this one was planned; nothing was changed. Run migrate again.');
      if (previous?.status === 'done' && !o.force) refuseLocalEdits(o.dir, previous, changes);
    },
    { reads: [lock] },
  );
}

/** A change as the dry-run shows it: its diff, with the values of secrets replaced (the old Dockerfile held some). */
export function describeChange(c: Change, secrets: readonly string[] = []): string[] {
  if (c.path === '.env' || isSecretFile(c.path)) return [`${c.kind === 'add' ? 'add' : 'update'} ${c.path} (mode 0600; its values are not shown)`];
  const hide = (l: string) => secrets.reduce((t, s) => (s ? t.split(s).join('<secret>') : t), l);
  const diff = unifiedDiff(c.before ?? '', c.content, c.kind === 'add' ? '/dev/null' : c.path, c.path).map(hide);
  // An added file is shown by its size, but the repo's new settings (tasks.config.ts) line by line.
  const whole = c.kind === 'replace' || c.path === 'tasks.config.ts';
  return [`${c.kind === 'add' ? 'add' : 'replace'} ${c.path}`, ...(whole ? diff.map((l) => `  ${l}`) : [`  (${c.content.split('\n').length} lines)`])];
}

/** The journal first, then every file but the Makefile, each atomically. */
export function writeStep(o: WriteOptions, changes: readonly Change[], manifest: Output<Manifest>, secrets: readonly string[]) {
  const journalOut = output<Journal>('journal');
  const step = action(
    'write the files',
    [
      `write ${path.relative(o.dir, o.backupDir)}/migrate.json (in progress), then each file atomically (temp file, fsync, rename):`,
      ...changes.filter((c) => c.path !== 'Makefile').flatMap((c) => describeChange(c, secrets).map((l) => `  ${l}`)),
    ],
    (rt) => {
      const m = rt.get(manifest);
      rt.log(`backup ${m.id}: ${m.files.map((f) => f.path).join(', ')} (verified)`);
      const journal: Journal = {
        status: 'in-progress',
        backupId: m.id,
        strategy: o.strategy,
        at: m.createdAt,
        entries: changes.map((c) => ({ path: c.path, existedBefore: c.kind === 'replace', written: sha256(c.content) })),
      };
      writeJournal(o.backupDir, journal);
      checkpoint('migrate wrote the journal');
      for (const c of changes.filter((c) => c.path !== 'Makefile')) {
        writeFileAtomic(path.join(o.dir, c.path), c.content, isSecretFile(c.path) ? 0o600 : 0o644);
        rt.log(`${c.kind === 'add' ? 'added' : 'replaced'} ${c.path}`);
        checkpoint(`migrate wrote ${c.path}`);
      }
      return journal;
    },
    { reads: [manifest], output: journalOut },
  );
  return { step, journal: journalOut };
}

/** The written files parse (Dockerfile with the audit's parser, compose files with the YAML reader) and env-check passes. */
export function validateStep(o: WriteOptions, m: Migration, ctx: PlanContext, journal: Output<Journal>) {
  const values = output<Readonly<Record<string, string>>>('migrated-env');
  const step = action(
    'validate',
    [
      `parse ${m.files.dockerfile} and ${[...new Set(m.files.dev)].join(', ')}, then env-check the new schema (preset ${m.config.preset}); on failure roll every file back`,
    ],
    async (rt) => {
      try {
        const result = validate(o.dir, m, ctx);
        checkpoint('migrate validated');
        rt.log(`validated: ${m.files.dockerfile} and the compose files parse; env-check passes (${Object.keys(result).length} variables)`);
        return result;
      } catch (error) {
        const j = rt.get(journal);
        for (const line of await rollback(o.dir, o.backupDir, j)) rt.log(line);
        throw new TaskError(
          ErrorCode.migrateFailed,
          `migrate failed and rolled back every file to how it was (backup ${j.backupId}): ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    },
    { reads: [journal], output: values },
  );
  return { step, values };
}

function validate(dir: string, m: Migration, ctx: PlanContext): Readonly<Record<string, string>> {
  const problems = parseProblems(dir, m.files.dockerfile, m.files.dev);
  if (problems.length > 0) throw new TaskError(ErrorCode.migrateFailed, `the new files do not parse: ${problems.join('; ')}`);
  const config: RepoConfig = m.config;
  return checkWorkflowEnv({ ...ctx, config }, dir).values;
}

/** The Makefile's docker targets become shims, last; then the journal says done. */
export function makefileStep(o: WriteOptions, changes: readonly Change[], journal: Output<Journal>, after: Output<unknown>) {
  const done = output<Journal>('migrated');
  const makefile = changes.find((c) => c.path === 'Makefile');
  const step = action(
    'rewrite the Makefile',
    [
      ...(makefile
        ? ['rewrite the Makefile: its docker targets call the tasks, every other line stays', ...describeChange(makefile).map((l) => `  ${l}`)]
        : []),
      `mark ${path.relative(o.dir, o.backupDir)}/migrate.json done`,
    ],
    (rt) => {
      if (makefile) {
        writeFileAtomic(path.join(o.dir, 'Makefile'), makefile.content);
        rt.log('rewrote the Makefile docker targets as `pnpm task ...` shims');
        checkpoint('migrate wrote Makefile');
      }
      const j: Journal = { ...rt.get(journal), status: 'done' };
      writeJournal(o.backupDir, j);
      checkpoint('migrate finished');
      return j;
    },
    { reads: [journal, after], output: done },
  );
  return { step, done };
}

/** Teardown: files written but the run did not reach `proven` (a failed check or build, Ctrl-C): back to the old files. */
export function rollbackUnlessProven(o: WriteOptions, journal: Output<Journal>, proven: Output<unknown>, what: string) {
  return action(
    'roll back unless proven',
    [`if the files were written but ${what} did not succeed, restore every file from the backup`],
    async (rt) => {
      const j = rt.find(journal);
      if (!j || rt.find(proven) !== undefined) return;
      const now = readJournal(o.backupDir);
      if (!now || now.backupId !== j.backupId) return; // Already rolled back (validation does it itself).
      for (const line of await rollback(o.dir, o.backupDir, now)) rt.log(line);
      rt.log(`the migrated set-up did not build or become healthy, so the repo was rolled back to its files before migrate (backup ${j.backupId})`);
    },
    { always: true, reads: [journal, proven] },
  );
}

/** A file migrate wrote earlier and someone changed since would be overwritten: stop and show it, unless --force. */
function refuseLocalEdits(dir: string, previous: Journal, changes: readonly Change[]): void {
  const edited = previous.entries.filter((e) => {
    const file = path.join(dir, e.path);
    return changes.some((c) => c.path === e.path) && existsSync(file) && sha256(readFileSync(file, 'utf8')) !== e.written;
  });
  if (edited.length === 0) return;
  const diffs = edited.flatMap((e) => {
    const c = changes.find((x) => x.path === e.path) as Change;
    return unifiedDiff(c.content, c.before ?? '', `${e.path} (as migrate would write it)`, `${e.path} (as it is now)`);
  });
  throw new TaskError(
    ErrorCode.localEdits,
    `${edited.map((e) => e.path).join(', ')} changed by hand since the last migrate; nothing was changed. Keep your edits, or run again with --force to replace them (a backup is taken first).`,
    { details: diffs },
  );
}
