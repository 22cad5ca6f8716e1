/**
 * listr2 in a terminal: a spinner per top-level task with the last lines of output under it. A task called by
 * another is shown inside its parent's output. listr2's own signal handling is off: exec/interrupt.ts owns Ctrl-C.
 */
import { Listr, type ListrTaskWrapper } from 'listr2';
import { type Reporter, type Sink, seconds, summaryLines } from './reporter.ts';

type Wrapper = ListrTaskWrapper<unknown, never, never>;

export function ttyReporter(write: (text: string) => void, mask: (t: string) => string, opts: { verbose: boolean }): Reporter {
  const out = (text: string) => write(`${mask(text)}\n`);
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
                  wrapper.output = mask(`$ ${text}`);
                },
                output: (_stream, line) => {
                  wrapper.output = mask(line);
                },
                log: (text) => {
                  wrapper.output = mask(text);
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
      process.stdout.write(`${mask(text)}\n`);
    },
    summary: (rows, totalMs) => {
      for (const line of summaryLines(rows, totalMs)) out(line);
    },
    error: (_code, lines) => {
      process.stderr.write(`${lines.map(mask).join('\n')}\n`);
    },
  };
}
