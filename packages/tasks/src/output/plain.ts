/**
 * Plain lines for CI and pipes: a start and an end line per task, and every line a task prints prefixed with its id
 * (`[lint] ...`), so output of tasks running at once stays readable. On GitHub Actions each task is a collapsible
 * `::group::`; groups cannot interleave there, so while one task's group is open the others' lines are held back and
 * printed, in a group of their own, when their turn comes (go-task's `group` output, make's --output-sync).
 */
import { type Reporter, type Sink, seconds, summaryLines, type UnitInfo } from './reporter.ts';
import { type Mask, safeOutput, safeText } from './safe.ts';

export function plainReporter(write: (text: string) => void, mask: Mask, opts: { verbose: boolean; github: boolean }): Reporter {
  const out = (text: string) => write(`${safeText(text, mask)}\n`);
  const groups = opts.github ? new GroupQueue(write) : undefined;
  return {
    async task(unit: UnitInfo, body, parent) {
      const depth = parent ? parent.depth + 1 : 0;
      const pad = '  '.repeat(depth);
      const id = unit.id;
      // A called task prints into its caller's group.
      const lane = groups && !parent ? groups.open(id) : undefined;
      const emit = (text: string) => (lane ? lane.write(text) : write(text));
      const line = (text: string) => emit(`${safeText(text, mask)}\n`);
      line(`${pad}▶ ${id}`);
      const started = Date.now();
      const sink: Sink = {
        depth,
        command: (text) => line(`${pad}  [${id}] $ ${text}`),
        output: (_stream, text) => {
          if (text.trim() !== '') emit(`${pad}  [${id}] ${safeOutput(text, mask)}\n`);
        },
        log: (text) => line(`${pad}  [${id}] ${text}`),
      };
      try {
        const note = await body(sink);
        line(`${pad}✔ ${id} (${note ? `${note}, ` : ''}${seconds(Date.now() - started)})`);
      } catch (error) {
        line(`${pad}✖ ${id} (${seconds(Date.now() - started)})`);
        throw error;
      } finally {
        lane?.close();
      }
    },
    skip: (unit, note) => out(`○ ${unit.id} (${note})`),
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

interface Lane {
  write(text: string): void;
  close(): void;
}

/** GitHub's groups, one open at a time: the oldest running task streams, the others wait with their lines held. */
class GroupQueue {
  private readonly lanes: { id: string; held: string[]; closed: boolean }[] = [];

  private readonly write: (text: string) => void;

  constructor(write: (text: string) => void) {
    this.write = write;
  }

  open(id: string): Lane {
    const lane = { id, held: [] as string[], closed: false };
    this.lanes.push(lane);
    if (this.lanes[0] === lane) this.write(`::group::${id}\n`);
    return {
      write: (text) => {
        if (this.lanes[0] === lane) this.write(text);
        else lane.held.push(text);
      },
      close: () => {
        lane.closed = true;
        this.advance();
      },
    };
  }

  /** Ends the head's group when it is done, then hands the floor to the next task: its held lines first. */
  private advance(): void {
    while (this.lanes[0]?.closed) {
      this.lanes.shift();
      this.write('::endgroup::\n');
      const next = this.lanes[0];
      if (!next) return;
      this.write(`::group::${next.id}\n`);
      for (const text of next.held.splice(0)) this.write(text);
    }
  }
}
