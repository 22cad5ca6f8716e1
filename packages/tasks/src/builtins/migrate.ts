import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../backup/atomic.ts';
import { checkpoint } from '../backup/checkpoint.ts';
import { configFiles, createBackup, isSecretFile } from '../backup/create.ts';
import { acquireLock } from '../backup/lock.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { type Change, planChanges, STRATEGIES, sha256 } from '../migrate/changes.ts';
import { unifiedDiff } from '../migrate/diff.ts';
import { checkDockerfile } from '../migrate/dockerfile-check.ts';
import { type Journal, readJournal, writeJournal } from '../migrate/journal.ts';
import { rollback } from '../migrate/rollback.ts';
import { action, call, type RunContext, type Step } from '../model/steps.ts';
import { defineTask, type PlanContext } from '../model/task.ts';
import { backupDirOf } from '../workflow/backup-context.ts';
import { checkComposeFile } from '../workflow/compose-check.ts';
import { checkWorkflowEnv } from '../workflow/env.ts';
import { resolveProject } from '../workflow/project.ts';
import { DEFAULT_IMAGE } from './docker-build.ts';
import { dockerClean } from './docker-clean.ts';
import { dockerRun } from './docker-run.ts';

export const migrate = defineTask({
  name: 'migrate',
  group: 'data',
  description: 'Move a repo to the new Docker set-up: show the diff, back up, adopt the assets, validate, rewrite the Makefile; roll back on failure',
  options: z.object({
    strategy: z.enum(STRATEGIES).default('replace').describe("replace the old files (the seed's option A) or add the new ones beside them (option B)"),
    build: z.boolean().default(false).describe('also build the result, start it and wait until healthy (then stop it)'),
    tag: z.string().min(1).optional().describe('with --build: image name:tag to build (default: tasks.config.ts image)'),
    rollback: z.boolean().default(false).describe('return the repo to its state before the last migrate, from its backup'),
    dir: z.string().default('.backups').describe('where backups and the journal live, relative to the project'),
  }),
  examples: ['task migrate --dry-run', 'task migrate', 'task migrate --strategy keep-both --build', 'task migrate --rollback'],
  plan: (opts, ctx) => {
    const project = resolveProject(ctx);
    const backupDir = backupDirOf(project, opts.dir);
    if (opts.rollback) {
      return [
        action(
          'roll back',
          [`restore every file the last migrate touched from the backup named in ${path.relative(project.dir, backupDir)}/migrate.json`],
          async (rt) => {
            const nothing = () =>
              new TaskError(
                ErrorCode.backupMissing,
                `nothing to roll back: ${backupDir} has no migrate journal (no migrate ran here, or it was already rolled back). Nothing was changed.`,
              );
            // Checked before the lock, whose file would otherwise create ${backupDir} just to say there is nothing.
            if (!readJournal(backupDir)) throw nothing();
            const lock = acquireLock(backupDir, 'migrate --rollback');
            try {
              const journal = readJournal(backupDir);
              if (!journal) throw nothing();
              for (const line of await rollback(project.dir, backupDir, journal)) rt.log(line);
              rt.log(`rolled back to the files as they were before migrate (backup ${journal.backupId})`);
            } finally {
              lock.release();
            }
          },
        ),
      ];
    }
    const changes = planChanges(project.dir, opts.strategy);
    const describe = changes.length === 0 ? ['nothing to change: the repo already has the new set-up'] : changes.flatMap(describeChange);
    const outcome = { migrated: false, journal: undefined as Journal | undefined };
    const steps: Step[] = [
      action(
        'migrate',
        [...describe, `back up every file above that exists into ${backupDir}/<id>, verify it, then write the files atomically and validate them`],
        async (rt) => {
          outcome.journal = await migrateFiles(rt, ctx, project.dir, backupDir, { ...opts, force: ctx.force === true }, changes);
          outcome.migrated = outcome.journal !== undefined;
        },
      ),
    ];
    if (opts.build) {
      const built = { ok: false };
      steps.push(
        call(dockerRun, { tag: opts.tag ?? ctx.config.image ?? DEFAULT_IMAGE }),
        action('mark the build healthy', [], async () => {
          built.ok = true;
        }),
        call(dockerClean, {}, { always: true }),
        action(
          'roll back if the build failed',
          ['if the build or the health check failed, restore the files from the backup'],
          async (rt) => {
            if (built.ok || !outcome.journal) return;
            for (const line of await rollback(project.dir, backupDir, outcome.journal)) rt.log(line);
            rt.log('the migrated set-up did not build or become healthy, so the repo was rolled back to its files before migrate');
          },
          { always: true },
        ),
      );
    }
    return steps;
  },
});

function describeChange(c: Change): string[] {
  const diff = unifiedDiff(c.before ?? '', c.content, c.kind === 'add' ? '/dev/null' : c.path, c.path);
  return [
    `${c.kind === 'add' ? 'add' : 'replace'} ${c.path}`,
    ...(c.kind === 'replace' ? diff.map((l) => `  ${l}`) : [`  (${c.content.split('\n').length} lines)`]),
  ];
}

interface MigrateOptions {
  strategy: (typeof STRATEGIES)[number];
  /** The global --force: replace files that were edited by hand since the last migrate. */
  force: boolean;
}

/** The migration proper. Returns the journal of what it changed, or undefined when there was nothing to change. */
async function migrateFiles(
  rt: RunContext,
  ctx: PlanContext,
  dir: string,
  backupDir: string,
  opts: MigrateOptions,
  changes: Change[],
): Promise<Journal | undefined> {
  const lock = acquireLock(backupDir, 'migrate');
  try {
    const previous = readJournal(backupDir);
    if (previous?.status === 'in-progress') {
      throw new TaskError(
        ErrorCode.migrateFailed,
        `an earlier migrate (backup ${previous.backupId}) was interrupted half-way. Run \`task migrate --rollback\` to restore the files from that backup, then migrate again.`,
      );
    }
    if (changes.length === 0) {
      rt.log('already migrated: every file has the new set-up; nothing was changed');
      return undefined;
    }
    if (previous?.status === 'done' && !opts.force) refuseLocalEdits(dir, previous, changes);
    // 1. Back up what will change (and the rest of the Docker files, .env included), verified before going on.
    const touched = changes.filter((c) => c.kind === 'replace').map((c) => c.path);
    const files = [...new Set([...configFiles(dir), ...touched])].sort();
    const manifest = await createBackup(rt, { projectDir: dir, backupDir, task: 'migrate', project: path.basename(dir), files, volumes: [] });
    rt.log(`backup ${manifest.id}: ${files.join(', ')} (verified)`);
    // 2. The journal first, then the files, each atomically.
    const journal: Journal = {
      status: 'in-progress',
      backupId: manifest.id,
      strategy: opts.strategy,
      at: new Date().toISOString(),
      entries: changes.map((c) => ({ path: c.path, existedBefore: c.kind === 'replace', written: sha256(c.content) })),
    };
    writeJournal(backupDir, journal);
    checkpoint('migrate wrote the journal');
    try {
      for (const c of changes.filter((c) => c.path !== 'Makefile')) {
        writeFileAtomic(path.join(dir, c.path), c.content, isSecretFile(c.path) ? 0o600 : 0o644);
        rt.log(`${c.kind === 'add' ? 'added' : 'replaced'} ${c.path}`);
        checkpoint(`migrate wrote ${c.path}`);
      }
      // 3. Validate what was written before touching the Makefile.
      validate(rt, ctx, dir);
      checkpoint('migrate validated');
      // 4. The Makefile's docker targets become shims.
      const makefile = changes.find((c) => c.path === 'Makefile');
      if (makefile) {
        writeFileAtomic(path.join(dir, 'Makefile'), makefile.content);
        rt.log('rewrote the Makefile docker targets as `pnpm task ...` shims');
        checkpoint('migrate wrote Makefile');
      }
    } catch (error) {
      // 5. Any failure: back to exactly the files there were, and say so.
      for (const line of await rollback(dir, backupDir, journal)) rt.log(line);
      throw new TaskError(
        ErrorCode.migrateFailed,
        `migrate failed and rolled back every file to how it was (backup ${manifest.id}): ${(error as Error).message}`,
        { cause: error },
      );
    }
    const done: Journal = { ...journal, status: 'done' };
    writeJournal(backupDir, done);
    checkpoint('migrate finished');
    rt.log(`migrated (${opts.strategy}); \`task migrate --rollback\` undoes it from backup ${manifest.id}`);
    return done;
  } finally {
    lock.release();
  }
}

/** A file migrate wrote earlier and someone changed since would be overwritten: stop and show it, unless --force. */
function refuseLocalEdits(dir: string, previous: Journal, changes: Change[]): void {
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
    {
      details: diffs,
    },
  );
}

function validate(rt: RunContext, ctx: PlanContext, dir: string): void {
  const problems: string[] = [];
  for (const name of ['Dockerfile.optimized', 'Dockerfile']) {
    const file = path.join(dir, name);
    if (!existsSync(file)) continue;
    for (const p of checkDockerfile(readFileSync(file, 'utf8'))) problems.push(`${name}:${p.line}: ${p.message}`);
    break;
  }
  for (const name of ['docker-compose.yml', 'docker-compose.full.yml', 'docker-compose.dev.yml']) {
    if (existsSync(path.join(dir, name))) for (const p of checkComposeFile(path.join(dir, name))) problems.push(`${name}:${p.line ?? '?'}: ${p.message}`);
  }
  if (problems.length > 0) throw new TaskError(ErrorCode.migrateFailed, `the new files do not parse: ${problems.join('; ')}`);
  const env = checkWorkflowEnv(ctx, dir);
  rt.log(`validated: Dockerfile and compose files parse; env-check passes (${Object.keys(env.values).length} variables)`);
}
