/**
 * Plain grouped lines for CI and pipes: a start and an end line per task, command output prefixed with the task
 * name. On GitHub Actions each top-level task is a collapsible ::group::.
 */
import { type Reporter, type Sink, seconds, summaryLines } from './reporter.ts';
import { type Mask, safeOutput, safeText } from './safe.ts';

export function plainReporter(write: (text: string) => void, mask: Mask, opts: { verbose: boolean; github: boolean }): Reporter {
  const out = (text: string) => write(`${safeText(text, mask)}\n`);
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
          if (line.trim() !== '') write(`${'  '.repeat(depth)}  [${title}] ${safeOutput(line, mask)}\n`);
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
