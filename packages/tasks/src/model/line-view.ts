/**
 * A command whose output is the product (docker-dev's attached `compose up`) can declare a view of it: a header of
 * facts a person needs (URL, debugger, how to stop) that its lines keep up to date, and which lines are worth
 * showing at all (the app's own logs, not health probes). In a terminal the header stays fixed at the top with the
 * lines streaming below it; elsewhere header changes are logged once each and the shown lines printed as usual.
 */
/** Which stream a line came from. */
export type Stream = 'stdout' | 'stderr';

/** One header row: a short label and its text. */
export interface HeaderRow {
  label: string;
  text: string;
}

/** What one output line changes: header rows (by label) and the line to show, if any. */
export interface LineUpdate {
  header?: readonly HeaderRow[];
  /** The text to show below the header; undefined hides the line. */
  show?: string;
}

export interface LineView {
  /** The header's title (the task and what runs). */
  title: string;
  /** The rows before the command prints anything, in the order shown. */
  header: readonly HeaderRow[];
  /** Called for each complete line of output, in order. */
  line(stream: Stream, line: string): LineUpdate;
}

/** A fresh view per run: views keep state (what has been seen), plans stay pure. */
export type LineViewFactory = () => LineView;
