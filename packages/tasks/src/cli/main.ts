/**
 * The CLI, as a list of steps: parse, find the task, plan it, then print the plan (--dry-run) or run it.
 * Returns the exit code; bin/task.js sets it. No other module decides how the process ends.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, ExitCode, usageError } from '../errors.ts';
import { Masker } from '../exec/mask.ts';
import type { PlanContext, Task } from '../model/task.ts';
import type { Reporter, SummaryRow } from '../output/reporter.ts';
import { libraryVersion } from '../registry/registry.ts';
import { parseArgv } from './argv.ts';
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

const print = (text: string) => process.stdout.write(`${text}\n`);

export async function main(argv: readonly string[], opts: MainOptions = {}): Promise<number> {
  const masker = new Masker();
  let reporter: Reporter | undefined;
  try {
    // Shell completion asks through here when its cache cannot answer; it must stay quiet (see cli/complete.ts).
    // bin/task.js answers it, --list, --help and --version from the cached manifest before this module loads.
    const { loadProject } = await import('../registry/project.ts');
    if (argv[0] === '__complete') {
      const { completeWords, completionDir } = await import('./complete-words.cjs');
      const words = argv.slice(argv[1] === '--' ? 2 : 1);
      const dir = completionDir(words, process.cwd());
      const project = await loadProject(dir, opts);
      print(completeWords(words.length > 0 ? words : [''], project.complete, dir).join('\n'));
      return ExitCode.ok;
    }
    const { global, task: name, taskArgs } = parseArgv(argv);
    if (global.version) {
      print(libraryVersion());
      return ExitCode.ok;
    }
    const cwd = workDir(global.dir);
    // A broken task file or config is named here and only fails what needs it (issue 9, item 14).
    const { config, registry, warnings } = await loadProject(cwd, opts);
    for (const w of warnings) process.stderr.write(`warning: ${masker.mask(w)}\n`);
    if (global.list || !name) {
      if (!name && global.help) print((await import('./help.ts')).globalHelp());
      print(global.json ? listJson(registry.tasks) : listText(registry.tasks));
      return ExitCode.ok;
    }
    const task = await registry.load(name);
    // Everything past this point is needed only to run a task, so it is loaded only then.
    const [{ taskHelp }, { parseTaskArgs }, { suggest }, { planTask }] = await Promise.all([
      import('./help.ts'),
      import('../model/options.ts'),
      import('./suggest.ts'),
      import('../run/plan.ts'),
    ]);
    if (global.help) {
      print(taskHelp(task, registry.find(name)?.source ?? ''));
      return ExitCode.ok;
    }
    const options = parseTaskArgs(task, taskArgs, suggest);
    const env = process.env;
    const ctx: PlanContext = {
      cwd,
      env,
      yes: global.yes,
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY && !env.CI),
      verbose: global.verbose,
      envFiles: global.envFiles,
      config,
      addSecrets: (values) => masker.add(values),
    };
    const unit = await planTask(task, options, ctx, (n) => registry.load(n));
    if (!unit) return ExitCode.ok;
    if (global.dryRun) {
      const { planLines } = await import('../run/dry-run.ts');
      print(masker.mask(['# dry run: nothing below was executed', ...planLines(unit, cwd)].join('\n')));
      return ExitCode.ok;
    }
    const [{ pickReporter, resolveMode }, { Interrupt }, { executeUnit }] = await Promise.all([
      import('../output/pick.ts'),
      import('../exec/interrupt.ts'),
      import('../run/execute.ts'),
    ]);
    const mode = resolveMode(global.output, env, Boolean(process.stdout.isTTY));
    const activeReporter = await pickReporter(mode, {
      mask: (t) => masker.mask(t),
      verbose: global.verbose,
      env,
      toStderr: task.dataOutput?.(options as never) === true,
    });
    reporter = activeReporter;
    const interrupt = new Interrupt((text) => process.stderr.write(`\n${text}\n`));
    const rows: SummaryRow[] = [];
    const started = Date.now();
    interrupt.install();
    try {
      await executeUnit(unit, { reporter: activeReporter, interrupt, masker, verbose: global.verbose, interactive: mode === 'tty', rows });
    } finally {
      await interrupt.finish();
      activeReporter.summary(rows, Date.now() - started);
    }
    return ExitCode.ok;
  } catch (error) {
    const failure = describeFailure(error, (t) => masker.mask(t));
    if (reporter) reporter.error(failure.code, failure.lines);
    else process.stderr.write(`${failure.lines.join('\n')}\n`);
    return failure.exitCode;
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
