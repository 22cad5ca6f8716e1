/**
 * listr2 in a terminal. A run of one task is one spinner with the last lines of its output under it (a task it calls
 * is shown inside its output). A run of several tasks is one listr2 list in concurrent mode, a row per task from the
 * start: tasks that run at once spin at once, the others wait, are skipped ("up to date", "not started") or fail
 * each on their own row. listr2's own signal handling is off: exec/interrupt.ts owns Ctrl-C.
 */
import { Listr, type ListrTaskWrapper } from 'listr2';
import { type Reporter, type Sink, seconds, summaryLines, type UnitInfo } from './reporter.ts';
import { type Mask, safeOutput, safeText } from './safe.ts';

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
      if (units.length > 1) board = new Board(units, mask, opts);
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
      await new Listr([{ title: unit.id, task: (_ctx, t) => runBody(t as unknown as Wrapper, unit.id, body, mask), rendererOptions: rowOptions(opts) }], {
        ...listOptions(),
        exitOnError: true,
      }).run();
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

/** One row per task of the run, each waiting for the executor to start or skip it. */
class Board {
  private readonly gates = new Map<string, { job?: Job; wake?: (job: Job) => void }>();
  private readonly done: Promise<unknown>;

  constructor(units: readonly UnitInfo[], mask: Mask, opts: TtyOptions) {
    const tasks = units.map((unit) => {
      const gate: { job?: Job; wake?: (job: Job) => void } = {};
      this.gates.set(unit.id, gate);
      return {
        title: unit.id,
        rendererOptions: rowOptions(opts),
        task: async (_ctx: unknown, t: unknown) => {
          const wrapper = t as Wrapper;
          const job = gate.job ?? (await new Promise<Job>((resolve) => Object.assign(gate, { wake: resolve })));
          if (job.kind === 'skip') {
            wrapper.skip(safeText(job.note, mask));
            return;
          }
          try {
            await runBody(wrapper, unit.id, job.body, mask);
            job.settle();
          } catch (error) {
            job.settle(error);
            throw error;
          }
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

  /** Every row that never started is skipped; resolves when listr2 has drawn its last frame. */
  async finish(): Promise<void> {
    for (const id of this.gates.keys()) this.skip(id, 'not run');
    await this.done;
  }

  private open(id: string, job: Job): void {
    const gate = this.gates.get(id);
    if (!gate || gate.job) return;
    gate.job = job;
    gate.wake?.(job);
  }
}

async function runBody(wrapper: Wrapper, id: string, body: Body, mask: Mask): Promise<void> {
  const started = Date.now();
  const sink: Sink = {
    depth: 0,
    command: (text) => {
      wrapper.output = safeText(`$ ${text}`, mask);
    },
    output: (_stream, line) => {
      wrapper.output = safeOutput(line, mask);
    },
    log: (text) => {
      wrapper.output = safeText(text, mask);
    },
  };
  const note = await body(sink);
  wrapper.title = `${id} (${note ? `${note}, ` : ''}${seconds(Date.now() - started)})`;
}

function rowOptions(opts: TtyOptions) {
  return { outputBar: opts.verbose ? Number.POSITIVE_INFINITY : 5, persistentOutput: opts.verbose };
}

function listOptions() {
  return {
    registerSignalListeners: false,
    rendererOptions: { showErrorMessage: false, collapseErrors: false, collapseSkips: false },
    fallbackRendererCondition: !process.stdout.columns,
  };
}
