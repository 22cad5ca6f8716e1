/** A reporter that records events instead of printing them: for tests of the executor and of tasks' actions. */
import type { Reporter, Sink, SummaryRow } from './reporter.ts';

export type Recorded =
  | { event: 'task-start' | 'task-end'; task: string; depth: number; ok?: boolean }
  | { event: 'command'; task: string; text: string }
  | { event: 'log'; task: string; text: string }
  | { event: 'output'; task: string; stream: string; line: string }
  | { event: 'info' | 'result'; text: string }
  | { event: 'summary'; rows: readonly SummaryRow[] }
  | { event: 'error'; code: string; lines: readonly string[]; exitCode: number };

export function recordingReporter(events: Recorded[] = []): Reporter & { events: Recorded[] } {
  return {
    events,
    async task(title, body, parent) {
      const depth = parent ? parent.depth + 1 : 0;
      events.push({ event: 'task-start', task: title, depth });
      const sink: Sink = {
        depth,
        command: (text) => events.push({ event: 'command', task: title, text }),
        output: (stream, line) => events.push({ event: 'output', task: title, stream, line }),
        log: (text) => events.push({ event: 'log', task: title, text }),
      };
      try {
        await body(sink);
        events.push({ event: 'task-end', task: title, depth, ok: true });
      } catch (error) {
        events.push({ event: 'task-end', task: title, depth, ok: false });
        throw error;
      }
    },
    info: (text) => events.push({ event: 'info', text }),
    result: (text) => events.push({ event: 'result', text }),
    summary: (rows) => events.push({ event: 'summary', rows }),
    error: (code, lines, exitCode) => events.push({ event: 'error', code, lines, exitCode }),
  };
}
