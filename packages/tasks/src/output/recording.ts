/** A reporter that records events instead of printing them: for tests of the executor and of tasks' actions. */
import type { Reporter, Sink, SummaryRow } from './reporter.ts';

export type Recorded =
  | { event: 'task-start' | 'task-end'; task: string; depth: number; ok?: boolean; note?: string }
  | { event: 'skip'; task: string; note: string }
  | { event: 'command'; task: string; text: string }
  | { event: 'log'; task: string; text: string }
  | { event: 'output'; task: string; stream: string; line: string }
  | { event: 'info' | 'result'; text: string }
  | { event: 'summary'; rows: readonly SummaryRow[] }
  | { event: 'error'; code: string; lines: readonly string[]; exitCode: number };

/** `task` in each event is the unit's id (the task name, unless one task runs with two sets of options). */
export function recordingReporter(events: Recorded[] = []): Reporter & { events: Recorded[] } {
  return {
    events,
    async task(unit, body, parent) {
      const depth = parent ? parent.depth + 1 : 0;
      const task = unit.id;
      events.push({ event: 'task-start', task, depth });
      const sink: Sink = {
        depth,
        command: (text) => events.push({ event: 'command', task, text }),
        output: (stream, line) => events.push({ event: 'output', task, stream, line }),
        log: (text) => events.push({ event: 'log', task, text }),
      };
      try {
        const note = await body(sink);
        events.push({ event: 'task-end', task, depth, ok: true, ...(note ? { note } : {}) });
      } catch (error) {
        events.push({ event: 'task-end', task, depth, ok: false });
        throw error;
      }
    },
    skip: (unit, note) => events.push({ event: 'skip', task: unit.id, note }),
    info: (text) => events.push({ event: 'info', text }),
    result: (text) => events.push({ event: 'result', text }),
    summary: (rows) => events.push({ event: 'summary', rows }),
    error: (code, lines, exitCode) => events.push({ event: 'error', code, lines, exitCode }),
  };
}
