/**
 * Runs a planned unit tree through the reporter. After a failure or an interrupt only `always` steps run
 * (teardown); the first error is rethrown at the end. Each unit's duration and outcome goes to the summary.
 */

import { formatCommand } from '../exec/format-command.ts';
import type { Interrupt } from '../exec/interrupt.ts';
import type { Masker } from '../exec/mask.ts';
import { interrupted, runCommand } from '../exec/run-command.ts';
import type { CmdStep, CommandSpec, RunContext } from '../model/steps.ts';
import type { Reporter, Sink, SummaryRow } from '../output/reporter.ts';
import type { Unit } from './plan.ts';

export interface ExecuteContext {
  reporter: Reporter;
  interrupt: Interrupt;
  masker: Masker;
  verbose: boolean;
  interactive: boolean;
  rows: SummaryRow[];
}

export async function executeUnit(unit: Unit, ex: ExecuteContext, parent?: Sink): Promise<void> {
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
            else if (step.kind === 'cmd') await exec(step, sink, ex, step.okExitCodes, false, step.diagnose);
            else await step.run(runContext(step.title, sink, ex));
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

function exec(spec: CommandSpec, sink: Sink, ex: ExecuteContext, okExitCodes?: readonly number[], quiet = false, diagnose?: CmdStep['diagnose']) {
  if (!quiet || ex.verbose) sink.command(formatCommand(spec));
  return runCommand(spec, {
    interrupt: ex.interrupt,
    mask: (t) => ex.masker.mask(t),
    okExitCodes,
    diagnose,
    onLine: (stream, line) => {
      if (!quiet || ex.verbose) sink.output(stream, line);
    },
  });
}

function runContext(_title: string, sink: Sink, ex: ExecuteContext): RunContext {
  return {
    cwd: process.cwd(),
    exec: (spec, opts) => exec(spec, sink, ex, opts?.okExitCodes, opts?.quiet),
    log: (text) => sink.log(text),
    result: (text) => ex.reporter.result(text),
    signal: ex.interrupt.controller.signal,
    verbose: ex.verbose,
    interactive: ex.interactive,
  };
}
