/** One JSON object per event and line, for tests and tools (like listr2's test renderer). */
import type { Reporter, Sink } from './reporter.ts';
import { jsonLine, type Mask } from './safe.ts';

export function jsonReporter(write: (text: string) => void, mask: Mask): Reporter {
  const emit = (event: Record<string, unknown>) => write(jsonLine({ time: Date.now(), ...event }, mask));
  return {
    async task(title, body, parent) {
      const depth = parent ? parent.depth + 1 : 0;
      emit({ event: 'task-start', task: title, depth });
      const started = Date.now();
      const sink: Sink = {
        depth,
        command: (text) => emit({ event: 'command', task: title, command: text }),
        output: (stream, line) => emit({ event: 'output', task: title, stream, line }),
        log: (text) => emit({ event: 'log', task: title, text }),
      };
      try {
        await body(sink);
        emit({ event: 'task-end', task: title, depth, outcome: 'ok', durationMs: Date.now() - started });
      } catch (error) {
        emit({ event: 'task-end', task: title, depth, outcome: 'failed', durationMs: Date.now() - started, error: (error as Error).message });
        throw error;
      }
    },
    info: (text) => emit({ event: 'info', text }),
    result: (text) => emit({ event: 'result', text }),
    summary: (rows, totalMs) => emit({ event: 'summary', tasks: rows, totalMs }),
    error: (code, lines, exitCode) => emit({ event: 'error', code, exitCode, message: lines.join('\n') }),
  };
}
