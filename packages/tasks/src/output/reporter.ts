/**
 * Output is a strategy picked by name. The executor only calls these methods; it never writes to stdout itself.
 * Every strategy masks secrets and escapes control characters in what it prints (output/safe.ts).
 */
import type { HeaderRow } from '../model/line-view.ts';
import type { Live } from './live.ts';

export type Stream = 'stdout' | 'stderr';
/**
 * How a task of the run ended: `up-to-date` (its check found nothing changed), `skipped` (a task it waits for did
 * not succeed, or the run stopped before it), `cancelled` (stopped because another task failed).
 */
export type Outcome = 'ok' | 'failed' | 'interrupted' | 'up-to-date' | 'skipped' | 'cancelled';

/** A task of the run: `id` is unique in the run (the name, with options when one task runs twice). */
export interface UnitInfo {
  id: string;
  task: string;
}

/** Where a running task sends what it has to say. */
export interface Sink {
  readonly depth: number;
  command(text: string): void;
  output(stream: Stream, line: string): void;
  log(text: string): void;
  /**
   * A terminal for a command whose output is the product: a fixed header over streaming lines (output/live.ts).
   * Only the tty strategy has one (undefined when the terminal is not free); the others log header changes as lines.
   */
  live?(title: string, header: readonly HeaderRow[]): Promise<Live | undefined>;
  /**
   * Hands the terminal to a command that reads the keyboard (CommandSpec.terminal): resolves true once nothing of
   * ours draws on it, false when it cannot be given (another task of the run is still drawing). Only the tty
   * strategy needs it: plain lines never hold the screen.
   */
  terminal?(): Promise<boolean>;
}

export interface SummaryRow {
  task: string;
  depth: number;
  outcome: Outcome;
  durationMs: number;
  note?: string;
}

export interface Reporter {
  /** Every task of the run, in plan order, before any starts (a terminal lists them all at once). */
  begin?(units: readonly UnitInfo[]): void;
  /**
   * Shows the task as running while `body` runs; `parent` is set for a task called by another. Tasks may run
   * concurrently. `body` may return a note for the end line ("up to date").
   */
  task(unit: UnitInfo, body: (sink: Sink) => Promise<string | undefined>, parent?: Sink): Promise<void>;
  /** A task that will not run, and why. */
  skip?(unit: UnitInfo, note: string): void;
  /** After the last task: resolves when everything is drawn (before the summary). */
  finish?(): Promise<void>;
  /** Informational text outside any task (dry-run plans, notices). */
  info(text: string): void;
  /** A task's product, printed as is on stdout. */
  result(text: string): void;
  summary(rows: readonly SummaryRow[], totalMs: number): void;
  /** The final error, already formatted as lines. */
  error(code: string, lines: readonly string[], exitCode: number): void;
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function summaryLines(rows: readonly SummaryRow[], totalMs: number): string[] {
  const icon: Record<Outcome, string> = { ok: '✔', failed: '✖', interrupted: '⊘', 'up-to-date': '✔', skipped: '○', cancelled: '⊘' };
  const width = Math.max(...rows.map((r) => r.task.length + r.depth * 2), 4);
  return [
    'Summary:',
    ...rows.map(
      (r) =>
        `  ${icon[r.outcome]} ${`${'  '.repeat(r.depth)}${r.task}`.padEnd(width)}  ${seconds(r.durationMs).padStart(8)}  ${r.outcome === 'up-to-date' ? 'up to date' : r.outcome}${r.note && r.outcome !== 'up-to-date' ? ` (${r.note})` : ''}`,
    ),
    `  total ${seconds(totalMs)}`,
  ];
}
