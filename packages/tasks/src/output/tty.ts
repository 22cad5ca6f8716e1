/**
 * listr2 in a terminal. A run of one task is one spinner with the last lines of its output under it (a task it calls
 * is shown inside its output). A run of several tasks is one listr2 list in concurrent mode, a row per task from the
 * start: tasks that run at once spin at once, the others wait, are skipped ("up to date", "not started") or fail
 * each on their own row. listr2's own signal handling is off: exec/interrupt.ts owns Ctrl-C.
 * A task run alone that asks for a live view (sink.live: docker-dev's stack in the foreground) gets the terminal: its
 * spinner ends there, and what it says from then on is written as plain lines, under a fixed header. (A row of a
 * several-task run has no live view: its header changes are logged as lines.)
 */
import { Listr, type ListrTaskWrapper } from 'listr2';
import { type Live, liveView } from './live.ts';
import { type Reporter, type Sink, seconds, summaryLines, type UnitInfo } from './reporter.ts';
import { type Mask, safeOutput, safeText } from './safe.ts';
import { screenRows } from './screen-rows.ts';

type Wrapper = ListrTaskWrapper<unknown, never, never>;
type Body = (sink: Sink) => Promise<string | undefined>;
type Job = { kind: 'run'; body: Body; settle: (error?: unknown) => void } | { kind: 'skip'; note: string };

interface TtyOptions {
  verbose: boolean;
}

export function ttyReporter(write: (text: string) => void, mask: Mask, opts: TtyOptions): Reporter {
  const out = (text: string) => write(`${safeText(text, mask)}\n`);
  let board: Board | undefined;
  return {
    begin(units) {
      if (units.length > 1) board = new Board(units, write, mask, opts);
    },
    async task(unit, body, parent) {
      if (board?.has(unit.id)) return board.run(unit.id, body);
      if (parent) {
        parent.log(`↳ ${unit.id}`);
        const started = Date.now();
        const note = await body({ ...parent, depth: parent.depth + 1 });
        parent.log(`✔ ${unit.id} (${note ? `${note}, ` : ''}${seconds(Date.now() - started)})`);
        return;
      }
      await runAlone(unit.id, body, write, mask, opts);
    },
    skip: (unit, note) => board?.skip(unit.id, note),
    finish: async () => board?.finish(),
    info: (text) => out(text),
    result: (text) => {
      process.stdout.write(`${safeText(text, mask)}\n`);
    },
    summary: (rows, totalMs) => {
      for (const line of summaryLines(rows, totalMs)) out(line);
    },
    error: (_code, lines) => {
      process.stderr.write(`${lines.map((l) => safeText(l, mask)).join('\n')}\n`);
    },
  };
}

/** A run of one task: one spinner, until the task asks for the terminal (a live view); then plain lines. */
async function runAlone(title: string, body: Body, write: (text: string) => void, mask: Mask, opts: TtyOptions): Promise<void> {
  const out = (text: string) => write(`${safeText(text, mask)}\n`);
  const started = Date.now();
  const handover = takeover();
  let running: Promise<string | undefined> | undefined;
  const list = new Listr(
    [
      {
        title,
        rendererOptions: rowOptions(opts),
        task: async (_ctx: unknown, t: unknown) => {
          const wrapper = t as Wrapper;
          const said = keptLines(wrapper, opts);
          const sink: Sink = {
            depth: 0,
            command: (text) => {
              if (handover.done) out(`  $ ${text}`);
              else wrapper.output = safeText(`$ ${text}`, mask);
            },
            output: (_stream, line) => {
              if (handover.done) write(`  ${safeOutput(line, mask)}\n`);
              else wrapper.output = safeOutput(line, mask);
            },
            log: (text) => {
              if (handover.done) out(`  ${text}`);
              else said.add(safeText(text, mask));
            },
            live: async (viewTitle, header) => {
              await handover.take();
              return liveView(terminal(write), mask, viewTitle, header) satisfies Live;
            },
            terminal: async () => {
              await handover.take();
              return true;
            },
          };
          running = body(sink);
          // A failure after the hand-over is reported below, once awaited; never an unhandled rejection.
          running.catch(() => {});
          try {
            const note = await Promise.race([running, handover.asked.then(() => undefined)]);
            wrapper.title = handover.wanted ? `${title}: in the foreground below` : `${title} (${note ? `${note}, ` : ''}${seconds(Date.now() - started)})`;
          } finally {
            said.keep();
          }
        },
      },
    ],
    { ...listOptions(), exitOnError: true },
  );
  await list.run();
  if (!handover.wanted) return;
  handover.release();
  try {
    const note = await running;
    out(`✔ ${title} (${note ? `${note}, ` : ''}${seconds(Date.now() - started)})`);
  } catch (error) {
    out(`✖ ${title} (${seconds(Date.now() - started)})`);
    throw error;
  }
}

/**
 * The hand-over of the terminal from listr2 to a task: the task asks (`take`), its listr2 task then ends so the
 * renderer stops and gives stdout back, and `release` lets the task go on writing directly.
 */
function takeover() {
  let ask = () => {};
  let release = () => {};
  const asked = new Promise<void>((r) => {
    ask = r;
  });
  const released = new Promise<void>((r) => {
    release = r;
  });
  const state = {
    wanted: false,
    done: false,
    asked,
    async take() {
      state.wanted = true;
      ask();
      await released;
      state.done = true;
    },
    release: () => release(),
  };
  return state;
}

/** The process's terminal as the live view needs it (the stream the tty strategy writes to is always a terminal). */
function terminal(write: (text: string) => void) {
  const tty = process.stdout;
  return {
    write,
    size: () => ({ rows: tty.rows || 24, columns: tty.columns || 80 }),
    onResize: (fn: () => void) => {
      tty.on('resize', fn);
      return () => {
        tty.off('resize', fn);
      };
    },
  };
}

/**
 * One row per task of the run, each waiting for the executor to start or skip it. A row whose command asks for a live
 * view while no other row is running gets the terminal, as a task run alone does: the rows that have not started are
 * let go (listr2 ends only when every row has), listr2 draws its last frame, and from then on every task writes
 * plain lines. When another row is still running, the view's header changes are logged in the row instead.
 */
class Board {
  private readonly gates = new Map<string, { job?: Job; wake?: (job: Job) => void; released?: boolean }>();
  private readonly running = new Set<string>();
  private readonly done: Promise<unknown>;
  private readonly handover = takeover();
  private readonly out: (text: string) => void;
  private readonly write: (text: string) => void;
  private readonly mask: Mask;
  private readonly opts: TtyOptions;
  /**
   * The rows each finished row may keep (keptLines): one share of what the terminal has beyond a row per task and a
   * running row's 5-line bar, so the whole list stays on screen. Without a size, listr2 falls back to its plain
   * renderer, which draws nothing twice: no limit.
   */
  private readonly keptRows: number;
  /** Rows that said more than fits under them (keptLines), with the lines that did not fit. */
  private readonly overflow: { id: string; lines: readonly string[] }[] = [];

  constructor(units: readonly UnitInfo[], write: (text: string) => void, mask: Mask, opts: TtyOptions) {
    this.write = write;
    this.mask = mask;
    this.opts = opts;
    const { rows, columns } = process.stdout;
    this.keptRows = rows && columns ? Math.max(1, Math.floor((rows - units.length - 6) / units.length)) : Number.POSITIVE_INFINITY;
    this.out = (text) => write(`${safeText(text, mask)}\n`);
    const tasks = units.map((unit) => {
      const gate: { job?: Job; wake?: (job: Job) => void; released?: boolean } = {};
      this.gates.set(unit.id, gate);
      return {
        title: unit.id,
        rendererOptions: rowOptions(opts),
        task: async (_ctx: unknown, t: unknown) => {
          const wrapper = t as Wrapper;
          const job = gate.job ?? (await new Promise<Job>((resolve) => Object.assign(gate, { wake: resolve })));
          if (job.kind === 'skip') {
            wrapper.skip(safeText(gate.released ? 'not started before the foreground view' : job.note, mask));
            return;
          }
          await this.row(wrapper, unit.id, job);
        },
      };
    });
    this.done = new Listr(tasks, { ...listOptions(), concurrent: true, exitOnError: false }).run().catch(() => undefined);
  }

  has(id: string): boolean {
    return this.gates.has(id);
  }

  run(id: string, body: Body): Promise<void> {
    return new Promise((resolve, reject) => this.open(id, { kind: 'run', body, settle: (e) => (e === undefined ? resolve() : reject(e)) }));
  }

  skip(id: string, note: string): void {
    this.open(id, { kind: 'skip', note });
  }

  /**
   * Every row that never started is skipped; resolves when listr2 has drawn its last frame, and the rows that said
   * more than fits under them have said the rest below (sayOverflow).
   */
  async finish(): Promise<void> {
    for (const id of this.gates.keys()) this.skip(id, 'not run');
    await this.done;
    this.sayOverflow();
  }

  /** Once listr2's last frame is drawn (the run's end, or a hand-over of the terminal): right under it. */
  private sayOverflow(): void {
    for (const { id, lines } of this.overflow.splice(0)) {
      this.out(`${id}, the rest of what it said:`);
      for (const line of lines) this.out(`  ${line}`);
    }
  }

  private async row(wrapper: Wrapper, id: string, job: Extract<Job, { kind: 'run' }>): Promise<void> {
    const started = Date.now();
    this.running.add(id);
    const said = keptLines(wrapper, this.opts);
    const sink: Sink = {
      depth: 0,
      command: (text) => {
        if (this.handover.done) this.out(`  $ ${text}`);
        else wrapper.output = safeText(`$ ${text}`, this.mask);
      },
      output: (_stream, line) => {
        if (this.handover.done) this.write(`  ${safeOutput(line, this.mask)}\n`);
        else wrapper.output = safeOutput(line, this.mask);
      },
      log: (text) => {
        if (this.handover.done) this.out(`  ${text}`);
        else said.add(safeText(text, this.mask));
      },
      live: async (title, header) => ((await this.hand(id)) ? liveView(terminal(this.write), this.mask, title, header) : undefined),
      terminal: () => this.hand(id),
    };
    const body = job.body(sink);
    const finished = body.then(
      (note) => {
        this.running.delete(id);
        if (this.handover.done) this.out(`✔ ${id} (${note ? `${note}, ` : ''}${seconds(Date.now() - started)})`);
        job.settle();
        return note;
      },
      (error: unknown) => {
        this.running.delete(id);
        if (this.handover.done) this.out(`✖ ${id} (${seconds(Date.now() - started)})`);
        job.settle(error);
        throw error;
      },
    );
    // A failure after the hand-over is the executor's to report (job.settle); never an unhandled rejection here.
    finished.catch(() => {});
    try {
      const note = await Promise.race([finished, this.handover.asked.then(() => undefined)]);
      wrapper.title = this.handover.wanted ? `${id}: in the foreground below` : `${id} (${note ? `${note}, ` : ''}${seconds(Date.now() - started)})`;
    } finally {
      // The last row to end (the task that was asked for, after its deps) is drawn no more after it: all of it stays.
      const others = [...this.running].some((other) => other !== id) || [...this.gates.values()].some((g) => !g.job);
      const all = said.keep(others ? this.keptRows : Number.POSITIVE_INFINITY);
      if (all.length > 0) this.overflow.push({ id, lines: all });
    }
  }

  /** Gives the terminal to row `id` (see the class comment); false while another row is running. */
  private async hand(id: string): Promise<boolean> {
    if (this.handover.done) return true;
    if (this.handover.wanted || [...this.running].some((other) => other !== id)) return false;
    const taken = this.handover.take();
    for (const gate of this.gates.values()) {
      if (gate.job) continue;
      gate.released = true;
      gate.wake?.({ kind: 'skip', note: '' });
    }
    await this.done;
    this.sayOverflow();
    this.handover.release();
    await taken;
    return true;
  }

  private open(id: string, job: Job): void {
    const gate = this.gates.get(id);
    if (!gate || gate.job) return;
    if (gate.released) {
      // After the hand-over: listr2 is gone, so a task that starts now writes plain lines.
      gate.job = job;
      if (job.kind === 'run') void this.plain(id, job);
      return;
    }
    gate.job = job;
    gate.wake?.(job);
  }

  private async plain(id: string, job: Extract<Job, { kind: 'run' }>): Promise<void> {
    const started = Date.now();
    this.out(`↳ ${id}`);
    const sink: Sink = {
      depth: 0,
      command: (text) => this.out(`  $ ${text}`),
      output: (_stream, line) => this.write(`  ${safeOutput(line, this.mask)}\n`),
      log: (text) => this.out(`  ${text}`),
    };
    try {
      const note = await job.body(sink);
      this.out(`✔ ${id} (${note ? `${note}, ` : ''}${seconds(Date.now() - started)})`);
      job.settle();
    } catch (error) {
      this.out(`✖ ${id} (${seconds(Date.now() - started)})`);
      job.settle(error);
    }
  }
}

/**
 * What a task says (its log lines: "18 variables valid", doctor's checks, the stand-in warnings, "built ... MB",
 * docker-run's "ready: URL") stays under its row when it ends, as the plain and CI output keep it; its commands'
 * output only passes through the bar (all of it stays with --verbose). While it runs, a said line shows in the bar
 * like any other. `keep` replaces the bar with the said lines, as one entry, so the bar's 5-line limit does not cut
 * them; with none, the row ends bare.
 *
 * `keep(rows)`: at most that many screen rows stay under the row (screen-rows.ts counts wrapped lines). A row of a run of
 * several is drawn again at every tick while the others run: kept lines taller than the terminal would push the
 * running rows off it (the frame is cut from the top), and each kept row costs a redraw. A row over it keeps its
 * first lines and says how many more there are; `keep` then returns those, for the run to print once its list is
 * done.
 */
function keptLines(wrapper: Wrapper, opts: TtyOptions) {
  const said: string[] = [];
  return {
    add(line: string) {
      said.push(line);
      wrapper.output = line;
    },
    keep(rows = Number.POSITIVE_INFINITY): readonly string[] {
      if (opts.verbose) return [];
      wrapper.output = null;
      if (said.length === 0) return [];
      const lines = said.flatMap((l) => l.split('\n'));
      // The bar is indented by 4 columns, and its first line by 2 more ("› "): a longer line wraps onto more rows.
      const columns = Math.max(1, (process.stdout.columns || 80) - 6);
      const height = (l: string) => screenRows(l, columns);
      if (lines.reduce((n, l) => n + height(l), 0) <= rows) {
        wrapper.output = lines.join('\n');
        return [];
      }
      const marker = (more: number) => `… ${more} more line${more === 1 ? '' : 's'}, printed below once the list is done`;
      const shown: string[] = [];
      let used = height(marker(lines.length));
      for (const l of lines) {
        if (used + height(l) > rows) break;
        shown.push(l);
        used += height(l);
      }
      wrapper.output = [...shown, marker(lines.length - shown.length)].join('\n');
      return lines.slice(shown.length);
    },
  };
}

// persistentOutput: the bar is drawn under the row after it ends too; without --verbose it then holds only what the
// task said (keptLines).
function rowOptions(opts: TtyOptions) {
  return { outputBar: opts.verbose ? Number.POSITIVE_INFINITY : 5, persistentOutput: true };
}

function listOptions() {
  return {
    registerSignalListeners: false,
    rendererOptions: { showErrorMessage: false, collapseErrors: false, collapseSkips: false },
    fallbackRendererCondition: !process.stdout.columns,
  };
}
