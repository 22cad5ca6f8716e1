/**
 * listr2 in a terminal: a spinner per top-level task with the last lines of output under it. A task called by
 * another is shown inside its parent's output. listr2's own signal handling is off: exec/interrupt.ts owns Ctrl-C.
 * A task that asks for a live view (sink.live: docker-dev's stack in the foreground) gets the terminal: its
 * spinner ends there, and what it says from then on is written as plain lines, under a fixed header.
 */
import { Listr, type ListrTaskWrapper } from 'listr2';
import { type Live, liveView } from './live.ts';
import { type Reporter, type Sink, seconds, summaryLines } from './reporter.ts';
import { type Mask, safeOutput, safeText } from './safe.ts';

type Wrapper = ListrTaskWrapper<unknown, never, never>;

export function ttyReporter(write: (text: string) => void, mask: Mask, opts: { verbose: boolean }): Reporter {
  const out = (text: string) => write(`${safeText(text, mask)}\n`);
  return {
    async task(title, body, parent) {
      if (parent) {
        parent.log(`↳ ${title}`);
        const started = Date.now();
        await body({ ...parent, depth: parent.depth + 1 });
        parent.log(`✔ ${title} (${seconds(Date.now() - started)})`);
        return;
      }
      const started = Date.now();
      const handover = takeover();
      let running: Promise<void> | undefined;
      const list = new Listr(
        [
          {
            title,
            task: async (_ctx, t) => {
              const wrapper = t as unknown as Wrapper;
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
                  else wrapper.output = safeText(text, mask);
                },
                live: async (viewTitle, header) => {
                  await handover.take();
                  return liveView(terminal(write), mask, viewTitle, header) satisfies Live;
                },
              };
              running = body(sink);
              // A failure after the hand-over is reported below, once awaited; never an unhandled rejection.
              running.catch(() => {});
              await Promise.race([running, handover.asked]);
              wrapper.title = handover.wanted ? `${title}: in the foreground below` : `${title} (${seconds(Date.now() - started)})`;
            },
            rendererOptions: { outputBar: opts.verbose ? Number.POSITIVE_INFINITY : 5, persistentOutput: opts.verbose },
          },
        ],
        {
          registerSignalListeners: false,
          exitOnError: true,
          rendererOptions: { showErrorMessage: false, collapseErrors: false },
          fallbackRendererCondition: !process.stdout.columns,
        },
      );
      await list.run();
      if (!handover.wanted) return;
      handover.release();
      try {
        await running;
        out(`✔ ${title} (${seconds(Date.now() - started)})`);
      } catch (error) {
        out(`✖ ${title} (${seconds(Date.now() - started)})`);
        throw error;
      }
    },
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
