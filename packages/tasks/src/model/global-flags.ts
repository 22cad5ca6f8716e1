/**
 * The global flags and the one rule that keeps them apart from tasks' own flags:
 * - run flags (`--dry-run`, `-C`, `--yes`, ...) are read anywhere before `--`, before or after the task name, so
 *   no task may declare a flag of the same name (defineTask refuses it);
 * - command flags (`--list`, `--json`, `--version`, `--dir`) are read only before the task name; after it, the
 *   same word is the task's own (`task backup --list`, `task -C repo backup --dir x`).
 * The table is the single source for parsing, for `--help` and for that check.
 */
export const OUTPUT_MODES = ['auto', 'tty', 'plain', 'json'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];
export const GRAPH_FORMATS = ['mermaid', 'dot'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export interface GlobalFlag {
  readonly flags: readonly string[];
  readonly value: boolean;
  /** Read only before the task name; after it the word belongs to the task. */
  readonly beforeTaskOnly: boolean;
  readonly help: string;
}

export const GLOBAL_FLAGS: readonly GlobalFlag[] = [
  { flags: ['--list', '-l'], value: false, beforeTaskOnly: true, help: 'list the tasks, grouped, with where each comes from' },
  { flags: ['--json'], value: false, beforeTaskOnly: true, help: 'with --list: print JSON for tools' },
  { flags: ['--help', '-h'], value: false, beforeTaskOnly: false, help: 'show help (for a task: `task NAME --help`)' },
  { flags: ['--version'], value: false, beforeTaskOnly: true, help: 'print the version' },
  { flags: ['--dry-run', '-n'], value: false, beforeTaskOnly: false, help: 'print the exact commands, in order, and change nothing' },
  { flags: ['-C'], value: true, beforeTaskOnly: false, help: 'run as if started in DIR (like make -C)' },
  { flags: ['--dir'], value: true, beforeTaskOnly: true, help: 'the same as -C, before the task name only (after it, --dir is the task’s own)' },
  { flags: ['--yes', '-y'], value: false, beforeTaskOnly: false, help: 'confirm what would otherwise ask' },
  { flags: ['--verbose', '-v'], value: false, beforeTaskOnly: false, help: 'print every command and its output' },
  { flags: ['--output'], value: true, beforeTaskOnly: false, help: 'tty | plain | json (default: tty in a terminal, plain in CI or a pipe)' },
  { flags: ['--jobs', '-j'], value: true, beforeTaskOnly: false, help: 'run at most N steps at once (default: the number of cores)' },
  { flags: ['--keep-going', '-k'], value: false, beforeTaskOnly: false, help: 'after a failure, go on with every task that does not depend on it' },
  { flags: ['--force'], value: false, beforeTaskOnly: false, help: 'run the named task even when it is up to date (its deps only when they are not)' },
  { flags: ['--status'], value: false, beforeTaskOnly: false, help: 'say for each task of the graph whether it would run, and what changed' },
  { flags: ['--watch', '-w'], value: false, beforeTaskOnly: false, help: 'run again whenever the sources change; Ctrl-C ends' },
  { flags: ['--graph'], value: true, beforeTaskOnly: false, help: 'print the task graph as mermaid | dot, and change nothing' },
  {
    flags: ['--env-file'],
    value: true,
    beforeTaskOnly: false,
    help: 'read this .env file instead of ./.env (repeatable; later files win; relative to where you run the command)',
  },
];

/** Flag words (`--dry-run`, `-n`, ...) read anywhere before `--`: no task may declare one. */
export const RUN_FLAG_WORDS: ReadonlySet<string> = new Set(GLOBAL_FLAGS.filter((g) => !g.beforeTaskOnly).flatMap((g) => g.flags));
