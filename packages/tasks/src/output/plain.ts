/**
 * Plain grouped lines for CI and pipes: a start and an end line per task, command output prefixed with the task
 * name. On GitHub Actions each top-level task is a collapsible ::group::.
 */
import { type Reporter, type Sink, seconds, summaryLines } from './reporter.ts';

export function plainReporter(write: (text: string) => void, mask: (t: string) => string, opts: { verbose: boolean; github: boolean }): Reporter {
  const out = (text: string) => write(`${mask(text)}\n`);
  return {
    async task(title, body, parent) {
      const depth = parent ? parent.depth + 1 : 0;
      const group = opts.github && depth === 0;
      if (group) out(`::group::${title}`);
      out(`${'  '.repeat(depth)}▶ ${title}`);
      const started = Date.now();
      const sink: Sink = {
        depth,
        command: (text) => out(`${'  '.repeat(depth)}  $ ${text}`),
        output: (_stream, line) => {
          if (line.trim() !== '') out(`${'  '.repeat(depth)}  [${title}] ${line}`);
        },
        log: (text) => out(`${'  '.repeat(depth)}  ${text}`),
      };
      try {
        await body(sink);
        out(`${'  '.repeat(depth)}✔ ${title} (${seconds(Date.now() - started)})`);
      } catch (error) {
        out(`${'  '.repeat(depth)}✖ ${title} (${seconds(Date.now() - started)})`);
        throw error;
      } finally {
        if (group) out('::endgroup::');
      }
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
