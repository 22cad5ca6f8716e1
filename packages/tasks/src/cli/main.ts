/**
 * The CLI, as a list of steps: parse, find the task, gather its facts and plan it, then print the plan
 * (--dry-run) or run it. Returns the exit code; bin/task.js sets it. No other module decides how the process ends.
 * Everything printed goes through output/safe.ts (masked, control characters escaped); in `--output json` every
 * line is a JSON event, usage errors and dry runs included.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, ExitCode, TaskError, usageError } from '../errors.ts';
import type { Interrupt } from '../exec/interrupt.ts';
import { Masker } from '../exec/mask.ts';
import { FACT_NAMES, type FactName } from '../facts/facts.ts';
import type { StateStore } from '../fingerprint/state.ts';
import type { PlanContext, Task } from '../model/task.ts';
import { TASK_NAME } from '../model/task-name.ts';
import type { Reporter, SummaryRow } from '../output/reporter.ts';
import { jsonLine, safeText } from '../output/safe.ts';
import { libraryVersion } from '../registry/registry.ts';
import type { Unit } from '../run/plan.ts';
import { quoteInput } from '../text/quote.ts';
import { outputModeHint, parseArgv } from './argv.ts';
import { describeFailure } from './exit.ts';
import { listJson, listText } from './list.ts';

export interface MainOptions {
  /** Tasks defined by a file run on its own (`node tasks/x.ts`). */
  extraTasks?: readonly Task[];
  /** That file's path: left out of discovery, since its tasks come in `extraTasks`. */
  selfFile?: string;
  /** The per-user cache folder (bin/task.js finds it); without it the task list is rebuilt on every start. */
  cacheRoot?: string;
}

export async function main(argv: readonly string[], opts: MainOptions = {}): Promise<number> {
  const masker = new Masker();
  const mask = (t: string) => masker.mask(t);
  let json = outputModeHint(argv) === 'json';
  // Text for stdout: in JSON mode, one event per call.
  const print = (text: string, event = 'text') => {
    process.stdout.write(json ? jsonLine({ event, text }, mask) : `${safeText(text, mask)}\n`);
  };
  let reporter: Reporter | undefined;
  let scope: { cwd: string; envFiles: readonly string[] } | undefined;
  try {
    // Shell completion asks through here when its cache cannot answer; it must stay quiet (see cli/complete.ts).
    // bin/task.js answers it, --list, --help and --version from the cached manifest before this module loads.
    const { loadProject } = await import('./project.ts');
    if (argv[0] === '__complete') {
      const { completeWords, completionDir } = await import('./complete-words.cjs');
      const words = argv.slice(argv[1] === '--' ? 2 : 1);
      const dir = completionDir(words, process.cwd());
      const project = await loadProject(dir, opts);
      process.stdout.write(`${safeText(completeWords(words.length > 0 ? words : [''], await project.complete(), dir).join('\n'), mask)}\n`);
      return ExitCode.ok;
    }
    const { global, task: name, taskArgs } = parseArgv(argv);
    json = global.output === 'json';
    if (global.version) {
      print(libraryVersion(), 'version');
      return ExitCode.ok;
    }
    const cwd = workDir(global.dir);
    // Paths typed on the command line are relative to where the command was typed, not to -C.
    const envFiles = global.envFiles.map((f) => path.resolve(f));
    scope = { cwd, envFiles };
    // A broken task file or config is named here and only fails what needs it (issue 9, item 14).
    const { config, registry, warnings } = await loadProject(cwd, opts);
    for (const w of warnings) process.stderr.write(`${safeText(`warning: ${w}`, mask)}\n`);
    if (global.graph && name === undefined) {
      throw usageError(ErrorCode.badFlag, `--graph ${global.graph} needs a task: task --graph ${global.graph} NAME prints the graph of NAME.`);
    }
    if (global.list || name === undefined) {
      if (name === undefined && global.help) print((await import('./help.ts')).globalHelp(), 'help');
      if (json) process.stdout.write(jsonLine({ event: 'tasks', tasks: JSON.parse(listJson(registry.tasks)) }, mask));
      else print(global.json ? listJson(registry.tasks) : listText(registry.tasks));
      return ExitCode.ok;
    }
    if (!TASK_NAME.test(name)) {
      throw usageError(
        ErrorCode.unknownTask,
        `unknown task ${quoteInput(name)}: task names are letters, digits and -_.: only. Run \`task --list\` to see every task.`,
      );
    }
    const env = process.env;
    const ctx: PlanContext = {
      cwd,
      env,
      yes: global.yes,
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY && !env.CI),
      verbose: global.verbose,
      envFiles,
      config,
      addSecrets: (values) => masker.add(values),
    };
    const { factStore } = await import('../facts/gather.ts');
    const newFacts = () =>
      factStore({ cwd, env, cacheRoot: opts.cacheRoot, wantedImages: async () => (await import('../workflow/images.ts')).wantedImages(ctx) });
    // The facts the task declares (the manifest knows them) are asked for while its module and the planner load:
    // the same facts planning asks for a few ms later, from the same store. Never for --help. A failure is the
    // plan's to report, when it asks; until then it is not unhandled.
    const needs = global.help ? [] : ((registry.find(name)?.needs ?? []).filter((n) => (FACT_NAMES as readonly string[]).includes(n)) as FactName[]);
    let early = needs.length > 0 ? newFacts() : undefined;
    early?.gather(needs).catch(() => {});
    const task = await registry.load(name);
    // Everything past this point is needed only to run a task, so it is loaded only then.
    const [{ taskHelp }, { parseTaskArgs }, { suggest }, { planTask }] = await Promise.all([
      import('./help.ts'),
      import('../model/options.ts'),
      import('../text/suggest.ts'),
      import('../run/plan.ts'),
    ]);
    if (global.help) {
      print(taskHelp(task, registry.find(name)?.source ?? ''), 'help');
      return ExitCode.ok;
    }
    const options = parseTaskArgs(task, taskArgs, { suggest, baseDir: process.cwd() });
    // The first plan uses the store that started early; a --watch round's plan gathers afresh.
    const facts = () => {
      const store = early ?? newFacts();
      early = undefined;
      return store;
    };
    const plan = () =>
      planTask(task, options, {
        ctx: { ...ctx, force: global.force },
        resolve: (n) => registry.load(n),
        sourceOf: (n) => registry.find(n)?.source,
        facts: facts(),
      });
    const unit = await plan();
    if (global.graph) {
      print((await import('../run/graph-text.ts')).graphText(unit, global.graph), 'graph');
      return ExitCode.ok;
    }
    if (global.dryRun) {
      const { planLines, planRows } = await import('../run/dry-run.ts');
      if (json) for (const row of planRows(unit)) process.stdout.write(jsonLine({ event: 'plan', ...row }, mask));
      else print(['# dry run: nothing below was executed', ...planLines(unit, cwd)].join('\n'));
      return ExitCode.ok;
    }
    const [{ pickReporter, resolveMode }, { Interrupt }, { executeUnit }, { openState }] = await Promise.all([
      import('../output/pick.ts'),
      import('../exec/interrupt.ts'),
      import('../run/execute.ts'),
      import('../fingerprint/state.ts'),
    ]);
    const state = openState(cwd, (w) => process.stderr.write(`${safeText(`warning: ${w}`, mask)}\n`));
    if (global.status) {
      const { graphStatus, statusLines } = await import('../run/status.ts');
      const rows = await graphStatus(unit, { state, force: global.force, interrupt: new Interrupt(() => {}), masker });
      if (json) for (const row of rows) process.stdout.write(jsonLine({ event: 'status', ...row }, mask));
      else print(statusLines(rows).join('\n'));
      return rows.some((r) => r.run) ? ExitCode.failure : ExitCode.ok;
    }
    const mode = resolveMode(global.output, env, Boolean(process.stdout.isTTY));
    const jobs = global.jobs ?? (await import('node:os')).availableParallelism();
    /** One run of the graph: its own reporter, summary and interrupt. */
    const round = async (planned: typeof unit, interrupt: InstanceType<typeof Interrupt>) => {
      const activeReporter = await pickReporter(mode, { mask, verbose: global.verbose, env, toStderr: task.dataOutput?.(options as never) === true });
      reporter = activeReporter;
      const rows: SummaryRow[] = [];
      const started = Date.now();
      try {
        await executeUnit(planned, {
          reporter: activeReporter,
          interrupt,
          masker,
          verbose: global.verbose,
          interactive: mode === 'tty',
          rows,
          cwd,
          jobs,
          keepGoing: global.keepGoing,
          force: global.force,
          state,
        });
      } finally {
        await activeReporter.finish?.();
        if (!global.watch) await interrupt.finish();
        activeReporter.summary(rows, Date.now() - started);
      }
    };
    // From here on V8's young generation keeps the size start-up gave it (2 x 4 MB) instead of doubling again when
    // a step's work (a 5 MB .env) keeps much alive: 8 MB less peak RSS, no slower (measured, issue 9 item 16). Not
    // from the start: a young generation kept at 2 x 1 MB made module loading ~10% slower in CPU.
    (await import('node:v8')).setFlagsFromString('--semi-space-growth-factor=1');
    if (global.watch) return await watchRun(unit, plan, round, { state, mask, json });
    const interrupt = new Interrupt((text) => process.stderr.write(`\n${text}\n`));
    interrupt.install();
    await round(unit, interrupt);
    return ExitCode.ok;
  } catch (error) {
    // A usage error may echo what was typed: mask the secrets the project knows, even though nothing was planned.
    if (error instanceof TaskError && error.exitCode === ExitCode.usage) await maskKnownSecrets(masker, scope);
    const failure = describeFailure(error);
    if (reporter) reporter.error(failure.code, failure.lines, failure.exitCode);
    else if (json) process.stdout.write(jsonLine({ event: 'error', code: failure.code, exitCode: failure.exitCode, message: failure.lines.join('\n') }, mask));
    else process.stderr.write(`${failure.lines.map((l) => safeText(l, mask)).join('\n')}\n`);
    return failure.exitCode;
  }
}

/** --watch: rounds until Ctrl-C; a failing round is reported and the watch goes on. */
async function watchRun(
  unit: Unit,
  plan: () => Promise<Unit>,
  round: (u: Unit, interrupt: Interrupt) => Promise<void>,
  opts: { state: StateStore; mask: (t: string) => string; json: boolean },
): Promise<number> {
  const { watch, watchedSpecs, SOURCES_CHANGED } = await import('../run/watch.ts');
  if (watchedSpecs(unit).length === 0) {
    throw usageError(
      ErrorCode.badFlag,
      `--watch: task ${unit.task.name} and the tasks it runs declare no sources, so there is nothing to watch. Give the task \`sources: ['src/**']\` (the globs of its inputs).`,
    );
  }
  const notify = (text: string) => process.stderr.write(`${safeText(text, opts.mask)}\n`);
  const ended = await watch({
    plan,
    state: opts.state,
    notify,
    round: async (u, interrupt) => {
      try {
        await round(u, interrupt);
      } catch (error) {
        const failure = describeFailure(error);
        if (error instanceof TaskError && error.code === ErrorCode.interrupted) return;
        // Stopped by the watch itself to restart on a change: it says so ("Sources changed: ..."), not an error.
        if (error instanceof TaskError && error.code === ErrorCode.cancelled && interrupt.why === SOURCES_CHANGED) return;
        if (opts.json)
          process.stdout.write(jsonLine({ event: 'error', code: failure.code, exitCode: failure.exitCode, message: failure.lines.join('\n') }, opts.mask));
        else process.stderr.write(`${failure.lines.map((l) => safeText(l, opts.mask)).join('\n')}\n`);
      }
      notify('Watching the sources for changes; Ctrl-C ends.');
    },
  });
  const { interruptExitCode } = await import('../exec/interrupt.ts');
  return interruptExitCode(ended);
}

async function maskKnownSecrets(masker: Masker, scope: { cwd: string; envFiles: readonly string[] } | undefined): Promise<void> {
  try {
    const { knownSecrets } = await import('../workflow/env.ts');
    masker.add(knownSecrets(scope?.cwd ?? process.cwd(), scope?.envFiles ?? [], process.env));
  } catch {
    // Best effort: a broken .env is reported by env-check, not by a usage error.
  }
}

function workDir(dir: string | undefined): string {
  if (dir === undefined) return process.cwd();
  const abs = path.resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw usageError(ErrorCode.badFlag, `-C ${dir}: no such folder (${abs}). Give an existing folder to run in.`);
  }
  return abs;
}
