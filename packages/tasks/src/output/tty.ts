/**
 * listr2 in a terminal: a spinner per top-level task with the last lines of output under it. A task called by
 * another is shown inside its parent's output. listr2's own signal handling is off: exec/interrupt.ts owns Ctrl-C.
 */
import { Listr, type ListrTaskWrapper } from 'listr2';
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
      const list = new Listr(
        [
          {
            title,
            task: async (_ctx, t) => {
              const started = Date.now();
              const wrapper = t as unknown as Wrapper;
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
              await body(sink);
              wrapper.title = `${title} (${seconds(Date.now() - started)})`;
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
