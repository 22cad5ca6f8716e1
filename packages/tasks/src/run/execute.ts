/**
 * Runs a planned graph through the reporter. Each unit runs once however many units wait for it; a unit's deps run
 * concurrently and its steps start when they all succeeded; at most `jobs` steps run at once (run/slots.ts), the
 * unit with the most work waiting behind it first. The first failure stops the rest (running commands get SIGTERM,
 * then SIGKILL after the grace period; their `always` steps still run) and is the run's error; with `keepGoing`
 * every unit that does not depend on a failed one still runs. A `check` step that finds nothing changed ends its
 * unit as "up to date". Nothing here writes to the terminal itself.
 */
import { ErrorCode, ExitCode, TaskError } from '../errors.ts';
import { formatCommand } from '../exec/format-command.ts';
import type { Interrupt } from '../exec/interrupt.ts';
import type { Masker } from '../exec/mask.ts';
import { cancelled, interrupted, runCommand } from '../exec/run-command.ts';
import type { StateStore } from '../fingerprint/state.ts';
import { type Output, OutputStore } from '../model/data-flow.ts';
import type { LineViewFactory } from '../model/line-view.ts';
import type { ActionStep, CmdStep, CommandSpec, RunContext } from '../model/steps.ts';
import type { CheckStep } from '../model/up-to-date.ts';
import type { Outcome, Reporter, Sink, Stream, SummaryRow, UnitInfo } from '../output/reporter.ts';
import { allUnits, ranks } from './graph.ts';
import type { PlannedStep, Unit } from './plan.ts';
import { Slots } from './slots.ts';
import { type CheckOutcome, runCheck } from './up-to-date.ts';

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
  /** Steps at once (`-j`); 1 when not given. */
  jobs?: number;
  /** Go on after a failure with every unit that does not depend on the failed one (`-k`). */
  keepGoing?: boolean;
  /** Run the root unit even when its check finds it up to date (`--force`). */
  force?: boolean;
  /** What up-to-date checks remember; without it every check runs its task. */
  state?: StateStore;
}

/** Thrown for a unit that did not start because a unit it waits for failed; never the run's error. */
class NotRun extends Error {
  /** Why it did not start: a dep failed (skipped), the run was stopped (cancelled), or Ctrl-C (interrupted). */
  readonly why: Outcome;
  constructor(note: string, why: Outcome) {
    super(note);
    this.why = why;
  }
}

interface UnitRun {
  unit: Unit;
  sink: Sink;
  row: SummaryRow;
  priority: number;
  failure?: unknown;
  upToDate?: string;
  checks: CheckOutcome[];
}

export async function executeUnit(root: Unit, ex: ExecuteContext): Promise<void> {
  await new GraphRun(root, ex).run();
}

class GraphRun {
  private readonly outputs: OutputStore;
  /** Outputs whose producing step has begun (what `onlyAfter` teardowns ask). */
  private readonly begun = new Set<Output<unknown>>();
  private readonly slots: Slots;
  private readonly results = new Map<Unit, Promise<void>>();
  private readonly rows = new Map<Unit, SummaryRow>();
  private readonly rank: Map<Unit, number>;
  private readonly durations: Record<string, number>;
  private failure: unknown;
  private started = 0;

  private readonly root: Unit;
  private readonly ex: ExecuteContext;

  constructor(root: Unit, ex: ExecuteContext) {
    this.root = root;
    this.ex = ex;
    this.outputs = ex.outputs ??= new OutputStore();
    this.slots = new Slots(ex.jobs ?? 1);
    this.durations = ex.state?.durations() ?? {};
    this.rank = ranks(root, (u) => this.durations[u.key] ?? 1);
  }

  async run(): Promise<void> {
    const units = allUnits(this.root);
    const depth = depths(this.root);
    // The summary lists every unit in plan order, whatever order they end in.
    for (const u of units) {
      const row: SummaryRow = { task: u.id, depth: depth.get(u) ?? 0, outcome: 'skipped', durationMs: 0 };
      this.rows.set(u, row);
      this.ex.rows.push(row);
    }
    this.ex.reporter.begin?.(units.map((u) => this.info(u)));
    let rootError: unknown;
    try {
      await this.runUnit(this.root);
    } catch (error) {
      rootError = error;
    }
    // With --keep-going, units the root never reached (it failed first) may still be running: wait for them.
    await Promise.allSettled([...this.results.values()]);
    for (const [u, row] of this.rows) {
      if (this.results.has(u)) continue;
      row.outcome = this.ex.interrupt.signal ? 'interrupted' : 'skipped';
      // Never reached without a failure: the task that would have run it was up to date.
      row.note = this.failure === undefined && rootError === undefined && !this.ex.interrupt.stopped ? 'not needed: up to date' : this.notRunNote();
      this.ex.reporter.skip?.(this.info(u), row.note);
    }
    // Durations order the next run's graph; a run of one task has nothing to order.
    const ran = [...this.rows].filter(([, row]) => row.outcome === 'ok');
    for (const [u, row] of ran) this.durations[u.key] = row.durationMs;
    if (this.rows.size > 1 && ran.length > 0) this.ex.state?.saveDurations(this.durations);
    if (this.failure === undefined && rootError !== undefined) {
      // A NotRun is never the run's error: it was stopped by Ctrl-C, or cancelled (--watch's restart).
      this.failure =
        rootError instanceof NotRun && this.ex.interrupt.signal
          ? interrupted(this.ex.interrupt.signal)
          : rootError instanceof NotRun && this.ex.interrupt.cancelled
            ? cancelled(this.ex.interrupt.why)
            : rootError;
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private info(u: Unit): UnitInfo {
    return { id: u.id, task: u.task.name };
  }

  private notRunNote(): string {
    return this.ex.interrupt.signal ? 'interrupted before it started' : 'not started: the run stopped after a failure';
  }

  private runUnit(unit: Unit, caller?: UnitRun): Promise<void> {
    let p = this.results.get(unit);
    if (!p) {
      p = this.execute(unit, caller);
      this.results.set(unit, p);
    }
    return p;
  }

  private async execute(unit: Unit, caller?: UnitRun): Promise<void> {
    const row = this.rows.get(unit) as SummaryRow;
    const settled = await Promise.allSettled(unit.deps.map((d) => this.runUnit(d)));
    const failed = settled.findIndex((s) => s.status === 'rejected');
    const failedDep = unit.deps[failed];
    if (failedDep || this.ex.interrupt.stopped) {
      row.outcome = this.ex.interrupt.signal ? 'interrupted' : failedDep ? 'skipped' : 'cancelled';
      row.note = failedDep ? `${failedDep.id} did not succeed` : this.notRunNote();
      this.ex.reporter.skip?.(this.info(unit), row.note);
      // For a task that calls this one: a dep that was only stopped (--watch's restart, another task's failure)
      // makes this a cancel, not a failure of its own.
      const reason = (settled[failed] as PromiseRejectedResult | undefined)?.reason;
      const stopped = reason instanceof NotRun ? reason.why !== 'skipped' : isCancel(reason);
      throw new NotRun(row.note, row.outcome === 'skipped' && stopped ? 'cancelled' : row.outcome);
    }
    const started = Date.now();
    const state: Partial<UnitRun> = { unit, row, checks: [], priority: caller?.priority ?? -(this.rank.get(unit) ?? 1) };
    try {
      await this.ex.reporter.task(
        this.info(unit),
        async (sink) => {
          const run = { ...state, sink } as UnitRun;
          await this.steps(run, unit.steps);
          if (!run.failure && this.ex.interrupt.signal) run.failure = interrupted(this.ex.interrupt.signal);
          if (run.failure) throw run.failure;
          for (const c of run.checks) c.commit();
          row.outcome = run.upToDate ? 'up-to-date' : 'ok';
          if (run.upToDate) row.note = run.upToDate;
          return run.upToDate ? 'up to date' : undefined;
        },
        caller?.sink,
      );
    } catch (error) {
      // A NotRun caught here is a task this one calls (its own is thrown above, before it starts): this one ran, and
      // ends for the reason the called one did not start: failed when a dep of it failed, else cancelled/interrupted.
      const called = error instanceof NotRun ? error : undefined;
      row.outcome = this.ex.interrupt.signal ? 'interrupted' : isCancel(error) || called?.why === 'cancelled' ? 'cancelled' : 'failed';
      // Otherwise the note was why it ran ("no image X"): beside "failed" it would read as the cause.
      row.note = called?.message;
      // The failure that kept a called task from starting is already the run's: a NotRun never is.
      if (row.outcome === 'failed' && !called) this.fail(error);
      throw error;
    } finally {
      row.durationMs = Date.now() - started;
    }
  }

  /** The first real failure is the run's; without --keep-going it stops everything still running. */
  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    if (!this.ex.keepGoing) this.ex.interrupt.cancel('another task failed');
  }

  private async steps(run: UnitRun, steps: readonly PlannedStep[]): Promise<void> {
    for (const step of steps) {
      if (run.upToDate) return;
      const always = step.kind !== 'check' && step.always === true;
      if ((run.failure || this.ex.interrupt.stopped) && !always) continue;
      if ((step.kind === 'cmd' || step.kind === 'action') && step.onlyAfter && !this.begun.has(step.onlyAfter)) continue;
      try {
        if (step.kind === 'unit') await this.runUnit(step.unit, run);
        else if (step.kind === 'parallel') await this.parallel(run, step.branches);
        else await this.leaf(run, step);
      } catch (error) {
        run.failure ??= error;
      }
    }
  }

  private async parallel(run: UnitRun, branches: readonly (readonly PlannedStep[])[]): Promise<void> {
    await Promise.all(branches.map((b) => this.steps(run, b)));
  }

  private async leaf(run: UnitRun, step: CmdStep | ActionStep | CheckStep): Promise<void> {
    const release = await this.slots.acquire(run.priority);
    if (step.kind !== 'check' && step.output) this.begun.add(step.output);
    // A unit that has begun keeps its place ahead of those that have not (its next steps come first).
    if (run.priority > -1e15) run.priority = -1e15 + this.started++;
    try {
      if (step.kind === 'cmd') await this.cmd(run, step);
      else if (step.kind === 'action') await this.action(run, step);
      else await this.check(run, step);
    } finally {
      release();
    }
  }

  private async check(run: UnitRun, step: CheckStep): Promise<void> {
    const force = this.ex.force === true && run.unit === this.root;
    const outcome = this.ex.state
      ? await runCheck(step, this.ex.state, { force, exec: (spec, o) => this.exec(spec, run.sink, o) })
      : { upToDate: false, why: 'no state to compare with', fingerprint: '', commit: () => {} };
    if (step.output) this.outputs.set(step.output, outcome.fingerprint);
    if (outcome.upToDate) {
      run.upToDate = outcome.why;
      run.sink.log(`up to date: ${outcome.why} since the last success`);
      return;
    }
    run.checks.push(outcome);
    // In the summary beside "ok": "ok (ran because no image X)", never read as what the run did.
    run.row.note = `ran because ${outcome.why}`;
    run.sink.log(`runs: ${outcome.why}`);
  }

  private async cmd(run: UnitRun, step: CmdStep): Promise<void> {
    // Teardown runs even when the step that produces its environment did not: then compose reads .env itself.
    const name = typeof step.argv[0] === 'string' ? step.argv[0] : 'command';
    const from = step.envFrom && (step.always ? this.outputs.get(step.envFrom) : read(this.outputs, step.envFrom, name));
    const env = from ? { ...from, ...step.env } : step.env;
    const argv = step.argv.map((a) => (typeof a === 'string' ? a : a.render(read(this.outputs, a.from, name))));
    const started = Date.now();
    if (step.terminal) await this.takeTerminal(run.sink, formatCommand({ ...step, argv }));
    const view = step.view && !this.ex.verbose ? await openView(step.view, run.sink) : undefined;
    try {
      // Shown as planned: the values from earlier outputs (envFrom) are not repeated on screen.
      const result = await this.exec({ ...step, argv, env }, run.sink, {
        okExitCodes: step.okExitCodes,
        diagnose: step.diagnose,
        shown: { ...step, argv },
        onLine: view?.onLine,
        // The live header says what runs; the long command line would be the first thing scrolling by.
        quiet: view?.live,
      });
      if (step.output) this.outputs.set(step.output, { ...result, durationMs: Date.now() - started });
    } finally {
      view?.close();
    }
  }

  /** A command that reads the keyboard needs the terminal, and nothing of ours drawing on it. */
  private async takeTerminal(sink: Sink, shown: string): Promise<void> {
    const why = !this.ex.interactive
      ? 'this run has no terminal (stdin or stdout is not one, or CI is set)'
      : sink.terminal && !(await sink.terminal())
        ? 'another task of this run is still running in the terminal'
        : undefined;
    if (why === undefined) return;
    throw new TaskError(
      ErrorCode.terminalNeeded,
      `${this.ex.masker.mask(shown)} reads the keyboard, but ${why}. Fix: run it alone, from a terminal; or give the task a command to run (e.g. task shell app --command 'ls -la /app').`,
      { exitCode: ExitCode.usage },
    );
  }

  private async action(run: UnitRun, step: ActionStep): Promise<void> {
    const value = await step.run(this.runContext(step, run.sink));
    if (step.output) this.outputs.set(step.output, value);
  }

  private exec(spec: CommandSpec, sink: Sink, opts: ExecOptions = {}) {
    const ex = this.ex;
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

  private runContext(step: ActionStep, sink: Sink): RunContext {
    const declared = (key: Output<unknown>) => {
      if (!(step.reads ?? []).includes(key)) {
        throw new TaskError(ErrorCode.badPlan, `step "${step.title}" reads output "${key.name}" without declaring it: add it to the step's reads.`);
      }
    };
    return {
      cwd: this.ex.cwd,
      exec: (spec, opts) => this.exec(spec, sink, { okExitCodes: opts?.okExitCodes, quiet: opts?.quiet }),
      get: (key) => {
        declared(key);
        return read(this.outputs, key, step.title);
      },
      find: (key) => {
        declared(key);
        return this.outputs.get(key);
      },
      log: (text) => sink.log(text),
      result: (text) => this.ex.reporter.result(text),
      signal: this.ex.interrupt.controller.signal,
      verbose: this.ex.verbose,
      interactive: this.ex.interactive,
    };
  }
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

function isCancel(error: unknown): boolean {
  return error instanceof TaskError && error.code === ErrorCode.cancelled;
}

function read<T>(outputs: OutputStore, key: Output<T>, step: string): T {
  if (!outputs.has(key)) {
    throw new TaskError(ErrorCode.badPlan, `step "${step}" needs output "${key.name}", which its producing step did not give (it failed or did not run)`);
  }
  return outputs.get(key) as T;
}

/** How deep each unit is shown: where it first appears under the root (a dep or a call one level below its user). */
function depths(root: Unit): Map<Unit, number> {
  const depth = new Map<Unit, number>();
  const visit = (u: Unit, d: number) => {
    if (depth.has(u)) return;
    depth.set(u, d);
    for (const dep of u.deps) visit(dep, d + 1);
    const step = (s: PlannedStep) => {
      if (s.kind === 'unit') visit(s.unit, d + 1);
      else if (s.kind === 'parallel') for (const b of s.branches) for (const x of b) step(x);
    };
    for (const s of u.steps) step(s);
  };
  visit(root, 0);
  return depth;
}
