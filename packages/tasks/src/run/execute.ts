/**
 * Runs a planned unit tree through the reporter. After a failure or an interrupt only `always` steps run
 * (teardown); the first error is rethrown at the end. Outputs produced by steps are kept for the steps that read
 * them. Each unit's duration and outcome goes to the summary. Nothing here writes to the terminal itself.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import { formatCommand } from '../exec/format-command.ts';
import type { Interrupt } from '../exec/interrupt.ts';
import type { Masker } from '../exec/mask.ts';
import { interrupted, runCommand } from '../exec/run-command.ts';
import { type Output, OutputStore } from '../model/data-flow.ts';
import type { LineViewFactory } from '../model/line-view.ts';
import type { ActionStep, CmdStep, CommandSpec, RunContext } from '../model/steps.ts';
import type { Reporter, Sink, Stream, SummaryRow } from '../output/reporter.ts';
import type { Unit } from './plan.ts';

export interface ExecuteContext {
  reporter: Reporter;
  interrupt: Interrupt;
  masker: Masker;
  verbose: boolean;
  interactive: boolean;
  rows: SummaryRow[];
  /** The folder of the run (`-C`), what actions see as `rt.cwd`. */
  cwd: string;
  outputs?: OutputStore;
}

export async function executeUnit(unit: Unit, ex: ExecuteContext, parent?: Sink): Promise<void> {
  ex.outputs ??= new OutputStore();
  const outputs = ex.outputs;
  const row: SummaryRow = { task: unit.task.name, depth: parent ? parent.depth + 1 : 0, outcome: 'ok', durationMs: 0 };
  ex.rows.push(row);
  const started = Date.now();
  let failure: unknown;
  try {
    await ex.reporter.task(
      unit.task.name,
      async (sink) => {
        for (const step of unit.steps) {
          if ((failure || ex.interrupt.signal) && !step.always) continue;
          try {
            if (step.kind === 'unit') await executeUnit(step.unit, ex, sink);
            else if (step.kind === 'cmd') await runCmd(step, sink, ex, outputs);
            else await runAction(step, sink, ex, outputs);
          } catch (error) {
            failure ??= error;
          }
        }
        if (!failure && ex.interrupt.signal) failure = interrupted(ex.interrupt.signal);
        if (failure) throw failure;
      },
      parent,
    );
  } catch (error) {
    row.outcome = ex.interrupt.signal ? 'interrupted' : 'failed';
    throw failure ?? error;
  } finally {
    row.durationMs = Date.now() - started;
  }
}

async function runCmd(step: CmdStep, sink: Sink, ex: ExecuteContext, outputs: OutputStore): Promise<void> {
  // Teardown runs even when the step that produces its environment did not: then compose reads .env itself.
  const name = typeof step.argv[0] === 'string' ? step.argv[0] : 'command';
  const from = step.envFrom && (step.always ? outputs.get(step.envFrom) : read(outputs, step.envFrom, name));
  const env = from ? { ...from, ...step.env } : step.env;
  const argv = step.argv.map((a) => (typeof a === 'string' ? a : a.render(read(outputs, a.from, name))));
  const started = Date.now();
  const view = step.view && !ex.verbose ? await openView(step.view, sink) : undefined;
  try {
    // Shown as planned: the values from earlier outputs (envFrom) are not repeated on screen.
    const result = await exec({ ...step, argv, env }, sink, ex, {
      okExitCodes: step.okExitCodes,
      diagnose: step.diagnose,
      shown: { ...step, argv },
      onLine: view?.onLine,
      // The live header says what runs; the long command line would be the first thing scrolling by.
      quiet: view?.live,
    });
    if (step.output) outputs.set(step.output, { ...result, durationMs: Date.now() - started });
  } finally {
    view?.close();
  }
}

/**
 * A command shown through its view (model/line-view.ts): in a terminal, a fixed header over the lines worth showing;
 * elsewhere each header change is logged once and those lines go out as usual. --verbose shows every line instead.
 */
async function openView(factory: LineViewFactory, sink: Sink): Promise<{ onLine: (stream: Stream, line: string) => void; close: () => void; live: boolean }> {
  const view = factory();
  const live = sink.live ? await sink.live(view.title, view.header) : undefined;
  const shown = new Map(view.header.map((r) => [r.label, r.text]));
  if (!live) for (const r of view.header) sink.log(`${r.label}: ${r.text}`);
  return {
    onLine: (stream, line) => {
      const u = view.line(stream, line);
      if (u.header && live) live.header(u.header);
      for (const r of live ? [] : (u.header ?? [])) {
        if (shown.get(r.label) === r.text) continue;
        shown.set(r.label, r.text);
        sink.log(`${r.label}: ${r.text}`);
      }
      if (u.show === undefined) return;
      if (live) live.line(u.show);
      else sink.output(stream, u.show);
    },
    close: () => live?.close(),
    live: live !== undefined,
  };
}

async function runAction(step: ActionStep, sink: Sink, ex: ExecuteContext, outputs: OutputStore): Promise<void> {
  const value = await step.run(runContext(step, sink, ex, outputs));
  if (step.output) outputs.set(step.output, value);
}

interface ExecOptions {
  okExitCodes?: readonly number[];
  quiet?: boolean;
  diagnose?: CmdStep['diagnose'];
  /** What to show instead of `spec` itself. */
  shown?: CommandSpec;
  /** Where each line goes instead of the sink (a view). */
  onLine?: (stream: Stream, line: string) => void;
}

function exec(spec: CommandSpec, sink: Sink, ex: ExecuteContext, opts: ExecOptions = {}) {
  const loud = !opts.quiet || ex.verbose;
  const shown = formatCommand(opts.shown ?? spec);
  if (loud) sink.command(shown);
  return runCommand(spec, {
    shown,
    interrupt: ex.interrupt,
    mask: (t) => ex.masker.mask(t),
    okExitCodes: opts.okExitCodes,
    diagnose: opts.diagnose,
    onLine: (stream, line) => {
      if (opts.onLine) opts.onLine(stream, line);
      else if (loud) sink.output(stream, line);
    },
  });
}

function read<T>(outputs: OutputStore, key: Output<T>, step: string): T {
  if (!outputs.has(key)) {
    throw new TaskError(ErrorCode.badPlan, `step "${step}" needs output "${key.name}", which its producing step did not give (it failed or did not run)`);
  }
  return outputs.get(key) as T;
}

function runContext(step: ActionStep, sink: Sink, ex: ExecuteContext, outputs: OutputStore): RunContext {
  const declared = (key: Output<unknown>) => {
    if (!(step.reads ?? []).includes(key)) {
      throw new TaskError(ErrorCode.badPlan, `step "${step.title}" reads output "${key.name}" without declaring it: add it to the step's reads.`);
    }
  };
  return {
    cwd: ex.cwd,
    exec: (spec, opts) => exec(spec, sink, ex, { okExitCodes: opts?.okExitCodes, quiet: opts?.quiet }),
    get: (key) => {
      declared(key);
      return read(outputs, key, step.title);
    },
    find: (key) => {
      declared(key);
      return outputs.get(key);
    },
    log: (text) => sink.log(text),
    result: (text) => ex.reporter.result(text),
    signal: ex.interrupt.controller.signal,
    verbose: ex.verbose,
    interactive: ex.interactive,
  };
}
