/**
 * The CLI, as a list of steps: parse, find the task, gather its facts and plan it, then print the plan
 * (--dry-run) or run it. Returns the exit code; bin/task.js sets it. No other module decides how the process ends.
 * Everything printed goes through output/safe.ts (masked, control characters escaped); in `--output json` every
 * line is a JSON event, usage errors and dry runs included.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, ExitCode, TaskError, usageError } from '../errors.ts';
import { Masker } from '../exec/mask.ts';
import type { PlanContext, Task } from '../model/task.ts';
import { TASK_NAME } from '../model/task-name.ts';
import type { Reporter, SummaryRow } from '../output/reporter.ts';
import { jsonLine, safeText } from '../output/safe.ts';
import { libraryVersion } from '../registry/registry.ts';
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
      process.stdout.write(`${safeText(completeWords(words.length > 0 ? words : [''], project.complete, dir).join('\n'), mask)}\n`);
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
    const task = await registry.load(name);
    // Everything past this point is needed only to run a task, so it is loaded only then.
    const [{ taskHelp }, { parseTaskArgs }, { suggest }, { planTask }, { factStore }] = await Promise.all([
      import('./help.ts'),
      import('../model/options.ts'),
      import('../text/suggest.ts'),
      import('../run/plan.ts'),
      import('../facts/gather.ts'),
    ]);
    if (global.help) {
      print(taskHelp(task, registry.find(name)?.source ?? ''), 'help');
      return ExitCode.ok;
    }
    const options = parseTaskArgs(task, taskArgs, { suggest, baseDir: process.cwd() });
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
    const unit = await planTask(task, options, {
      ctx,
      resolve: (n) => registry.load(n),
      facts: factStore({ cwd, env, wantedImages: async () => (await import('../workflow/images.ts')).wantedImages(ctx) }),
    });
    if (!unit) return ExitCode.ok;
    if (global.dryRun) {
      const { planLines, planRows } = await import('../run/dry-run.ts');
      if (json) for (const row of planRows(unit)) process.stdout.write(jsonLine({ event: 'plan', ...row }, mask));
      else print(['# dry run: nothing below was executed', ...planLines(unit, cwd)].join('\n'));
      return ExitCode.ok;
    }
    const [{ pickReporter, resolveMode }, { Interrupt }, { executeUnit }] = await Promise.all([
      import('../output/pick.ts'),
      import('../exec/interrupt.ts'),
      import('../run/execute.ts'),
    ]);
    const mode = resolveMode(global.output, env, Boolean(process.stdout.isTTY));
    const activeReporter = await pickReporter(mode, { mask, verbose: global.verbose, env, toStderr: task.dataOutput?.(options as never) === true });
    reporter = activeReporter;
    const interrupt = new Interrupt((text) => process.stderr.write(`\n${text}\n`));
    const rows: SummaryRow[] = [];
    const started = Date.now();
    interrupt.install();
    try {
      await executeUnit(unit, { reporter: activeReporter, interrupt, masker, verbose: global.verbose, interactive: mode === 'tty', rows, cwd });
    } finally {
      await interrupt.finish();
      activeReporter.summary(rows, Date.now() - started);
    }
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
