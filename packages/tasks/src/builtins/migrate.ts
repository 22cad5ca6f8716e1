import path from 'node:path';
import { z } from 'zod';
import { configFiles } from '../backup/files.ts';
import { lockSteps } from '../backup/lock-steps.ts';
import { backupSteps } from '../backup/steps.ts';
import { configFile } from '../config/files.ts';
import { composeArgv } from '../docker/compose.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { formatCommand } from '../exec/format-command.ts';
import type { Facts } from '../facts/facts.ts';
import { needsYou } from '../migrate/carry/types.ts';
import { type Migration, planMigration, STRATEGIES } from '../migrate/changes.ts';
import { readJournal } from '../migrate/journal.ts';
import { rollback } from '../migrate/rollback.ts';
import {
  journalCheckStep,
  makefileStep,
  mappingStep,
  needsYouStep,
  rollbackUnlessProven,
  validateStep,
  type WriteOptions,
  writeStep,
} from '../migrate/steps.ts';
import { type Output, output } from '../model/data-flow.ts';
import { action, type CmdOutcome, cmd, type Step } from '../model/steps.ts';
import { defineTask, type PlanContext } from '../model/task.ts';
import { backupDirOf } from '../workflow/backup-context.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { specFor } from '../workflow/env.ts';
import { IMAGE_MODES } from '../workflow/images.ts';
import { type Project, resolveProject } from '../workflow/project.ts';
import { imageRefOption } from '../workflow/ref-options.ts';
import { secretFileStandIns } from '../workflow/secret-files.ts';

/** This package's CLI: the proof runs the migrated repo's own `task docker-run`, planned from its new files. */
const CLI = path.resolve(import.meta.dirname, '..', '..', 'bin', 'task.js');

export const migrate = defineTask({
  name: 'migrate',
  group: 'data',
  description: 'Move a repo to the new Docker set-up: carry its service over, show the diff, back up, write, validate, prove it runs; roll back on failure',
  options: z.object({
    strategy: z.enum(STRATEGIES).default('replace').describe("replace the old files (the seed's option A) or add the new ones beside them (option B)"),
    build: z.boolean().optional().describe('prove it runs: build, start and wait for the health check, then stop it (default: when an engine answers)'),
    tag: imageRefOption().optional().describe('with --build: image name:tag to build (default: the image tasks.config.ts names)'),
    images: z.enum(IMAGE_MODES).default('auto').describe('with --build: base images: registry, offline stand-ins, or auto'),
    timeout: z.coerce.number().int().positive().default(120).describe('with --build: seconds to wait for the health check'),
    rollback: z.boolean().default(false).describe('return the repo to its state before the last migrate, from its backup'),
    dir: z.string().default('.backups').describe('where backups and the journal live, relative to the project'),
  }),
  examples: ['task migrate --dry-run', 'task migrate --yes', 'task migrate --no-build', 'task migrate --strategy keep-both', 'task migrate --rollback'],
  needs: ['docker', 'compose', 'clock'],
  plan: (opts, ctx, facts) => {
    const project = resolveProject(ctx);
    const backupDir = backupDirOf(project, opts.dir);
    if (opts.rollback) return rollbackPlan(project, backupDir);
    const previous = readJournal(backupDir);
    if (previous?.status === 'in-progress') return [interruptedStep(previous.backupId)];
    // On a second run the old set-up is in the first run's backup: migrate reads it from there.
    const configFrom = previous?.status === 'done' ? path.join(backupDir, previous.backupId, 'files') : undefined;
    const m = planMigration({
      dir: project.dir,
      project: project.name,
      strategy: opts.strategy,
      configFrom,
      current: ctx.config,
      // tasks.config.ts is written only where the CLI reads it, and never over one the repo had before migrate.
      canWriteConfig: path.resolve(ctx.cwd) === project.dir && configFile(configFrom ?? project.dir) === undefined,
    });
    for (const s of m.setup.carry.secrets) ctx.addSecrets([s.value]);
    const blocked = needsYou(m.setup.carry);
    if (m.changes.length === 0)
      return [
        mappingStep(m),
        action('nothing to do', ['nothing to change: the repo already has the new set-up'], (rt) =>
          rt.log('already migrated: every file has the new set-up; nothing was changed'),
        ),
      ];
    const o: WriteOptions = { dir: project.dir, backupDir, strategy: opts.strategy, force: ctx.force === true, previous };
    const build = opts.build ?? (facts.docker.daemon.ok && facts.compose !== undefined);
    return [
      ...(blocked.length > 0 && ctx.force !== true ? [needsYouStep(blocked)] : []),
      mappingStep(m),
      ...writePlan(o, m, ctx, facts, project, { ...opts, build }),
    ];
  },
});

function writePlan(
  o: WriteOptions,
  m: Migration,
  ctx: PlanContext,
  facts: Pick<Facts, 'docker' | 'compose' | 'clock'>,
  project: Project,
  opts: { build: boolean; tag?: string; images: string; timeout: number },
): Step[] {
  const lock = lockSteps(o.dir, o.backupDir, 'migrate');
  const touched = m.changes.filter((c) => c.kind === 'replace').map((c) => c.path);
  const backup = backupSteps({
    projectDir: o.dir,
    backupDir: o.backupDir,
    task: 'migrate',
    project: project.name,
    files: [...new Set([...configFiles(o.dir), ...touched])].sort(),
    volumes: [],
    owner: '',
    now: facts.clock.now,
  });
  const written = writeStep(
    o,
    m.changes,
    backup.manifest,
    m.setup.carry.secrets.map((s) => s.value),
  );
  const validated = validateStep(o, m, ctx, written.journal);
  const steps: Step[] = [lock.take, journalCheckStep(o, m.changes, lock.lock), ...backup.steps, written.step, validated.step];
  const configured = output<CmdOutcome>('compose-config');
  if (facts.compose) {
    const argv = composeArgv(facts.compose, { files: m.files.full, projectName: project.name, projectDirectory: o.dir, envFiles: ctx.envFiles }, [
      'config',
      '-q',
    ]);
    // The secret files are written by docker-run, not here: stand-in paths let compose interpolate the file.
    // Only the assistant's compose files mount secret files (another service's schema has none of them).
    const spec = specFor(m.config);
    const standIns = Object.fromEntries(
      Object.entries(secretFileStandIns(path.join(o.dir, m.files.full[0] ?? 'docker-compose.full.yml'))).filter(([k]) => spec[k] !== undefined),
    );
    steps.push(cmd(argv, { cwd: o.dir, envFrom: validated.values, env: standIns, output: configured, title: 'compose config' }));
  }
  const done = makefileStep(o, m.changes, written.journal, facts.compose ? configured : validated.values);
  steps.push(done.step);
  let proven: Output<unknown> = done.done;
  if (opts.build) {
    const tag = opts.tag ?? m.config.image ?? `${project.name}:latest`;
    const run = output<CmdOutcome>('proof');
    const cli = (task: string, ...args: string[]) => [process.execPath, CLI, '--', ...ctx.envFiles.flatMap((f) => ['--env-file', f]), task, ...args];
    const started = output<true>('proof-started');
    const clean = cli('docker-clean');
    steps.push(
      requireEngine(facts.docker),
      action('start the proof', ['the files are written: from here on the stack may run, and is stopped again below'], () => true as const, {
        output: started,
      }),
      cmd(cli('docker-run', '--tag', tag, '--images', opts.images, '--timeout', String(opts.timeout)), { cwd: ctx.cwd, output: run, title: 'task docker-run' }),
      action(
        'stop the proof',
        [`${formatCommand({ argv: clean })} (removes the containers and the image the proof made; named volumes stay), if the proof started`],
        async (rt) => {
          if (rt.find(started)) await rt.exec({ argv: clean, cwd: ctx.cwd });
        },
        { always: true, reads: [started] },
      ),
    );
    proven = run;
  }
  steps.push(
    rollbackUnlessProven(o, written.journal, proven, opts.build ? 'the build, start and health check' : 'validation'),
    action(
      'report',
      ['say what changed, how to undo it, and whether it was proven to run'],
      (rt) => {
        const j = rt.get(done.done);
        rt.log(`migrated (${o.strategy}); \`task migrate --rollback\` undoes it from backup ${j.backupId}`);
        if (!opts.build)
          rt.log(
            facts.docker.daemon.ok
              ? 'not built (--no-build): checked statically only (files parse, env-check passes); `task docker-run` proves it runs'
              : 'no Docker engine answered: the result was checked statically only (files parse, env-check passes); run `task docker-run` where an engine runs',
          );
      },
      { reads: [done.done, ...(opts.build ? [proven] : [])] },
    ),
    lock.release,
  );
  return steps;
}

function rollbackPlan(project: Project, backupDir: string): Step[] {
  const lock = lockSteps(project.dir, backupDir, 'migrate --rollback');
  const nothing = () =>
    new TaskError(
      ErrorCode.backupMissing,
      `nothing to roll back: ${backupDir} has no migrate journal (no migrate ran here, or it was already rolled back). Nothing was changed.`,
    );
  // Checked before the lock, whose file would otherwise create the backup folder just to say there is nothing.
  if (!readJournal(backupDir)) return [action('roll back', ['stop: there is no migrate journal to roll back from'], () => Promise.reject(nothing()))];
  return [
    lock.take,
    action(
      'roll back',
      [`restore every file the last migrate touched from the backup named in ${path.relative(project.dir, backupDir)}/migrate.json, each checked by sha256`],
      async (rt) => {
        const journal = readJournal(backupDir);
        if (!journal) throw nothing();
        for (const line of await rollback(project.dir, backupDir, journal)) rt.log(line);
        rt.log(`rolled back to the files as they were before migrate (backup ${journal.backupId})`);
      },
      { reads: [lock.lock] },
    ),
    lock.release,
  ];
}

function interruptedStep(backupId: string) {
  return action(
    'stop: an earlier migrate was interrupted',
    [`stop: the journal says migrate (backup ${backupId}) was cut short; run task migrate --rollback first`],
    () => {
      throw new TaskError(
        ErrorCode.migrateFailed,
        `an earlier migrate (backup ${backupId}) was interrupted half-way. Run \`task migrate --rollback\` to restore the files from that backup, then migrate again.`,
      );
    },
  );
}
