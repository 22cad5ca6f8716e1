/**
 * One JSON object per event and line, for tests and tools (like listr2's test renderer). Every task event carries
 * `id` (unique in the run) and `task` (the task's name): tasks may run at once, so their events interleave.
 */
import type { Reporter, Sink } from './reporter.ts';
import { jsonLine, type Mask } from './safe.ts';

export function jsonReporter(write: (text: string) => void, mask: Mask): Reporter {
  const emit = (event: Record<string, unknown>) => write(jsonLine({ time: Date.now(), ...event }, mask));
  return {
    // The tasks of a run of several, before any starts (a run of one says it all in its task-start).
    begin: (units) => {
      if (units.length > 1) emit({ event: 'plan-units', units });
    },
    async task(unit, body, parent) {
      const depth = parent ? parent.depth + 1 : 0;
      const ids = { id: unit.id, task: unit.task };
      emit({ event: 'task-start', ...ids, depth });
      const started = Date.now();
      const sink: Sink = {
        depth,
        command: (text) => emit({ event: 'command', ...ids, command: text }),
        output: (stream, line) => emit({ event: 'output', ...ids, stream, line }),
        log: (text) => emit({ event: 'log', ...ids, text }),
      };
      try {
        const note = await body(sink);
        emit({ event: 'task-end', ...ids, depth, outcome: note === 'up to date' ? 'up-to-date' : 'ok', durationMs: Date.now() - started });
      } catch (error) {
        emit({ event: 'task-end', ...ids, depth, outcome: 'failed', durationMs: Date.now() - started, error: (error as Error).message });
        throw error;
      }
    },
    skip: (unit, note) => emit({ event: 'task-skip', id: unit.id, task: unit.task, note }),
    info: (text) => emit({ event: 'info', text }),
    result: (text) => emit({ event: 'result', text }),
    summary: (rows, totalMs) => emit({ event: 'summary', tasks: rows, totalMs }),
    error: (code, lines, exitCode) => emit({ event: 'error', code, exitCode, message: lines.join('\n') }),
  };
}
