/** The cached task manifest and completion data: shared by the TypeScript that writes them and the fast path that reads them. */

/** A task as the manifest knows it, without importing its module. */
export interface TaskRef {
  name: string;
  description: string;
  group: string;
  /** `@promtior/tasks@0.1.0` for a built-in, `@team/tasks@0.2.0` for a preset's task, `tasks/x.ts` for a repo's own file. */
  source: string;
  origin: 'builtin' | 'preset' | 'local';
  /** A preset's package name: its folder is found again from the repo, never taken from the manifest. */
  package?: string;
  /** Absolute path of the module; only ever imported after a check that it lies in a task folder. */
  file: string;
  exportName: string;
  /** The source this task replaces, when a local task overrides a built-in. */
  overrides?: string;
  /** The names of the tasks it depends on (its `deps`), for --list. */
  deps?: string[];
  /** The facts it declares (`needs`): the CLI starts gathering them while the task's module loads. */
  needs?: string[];
}

/** How the value after a flag (or a task's positional argument) is completed. */
export type ValueKind = readonly string[] | 'free' | 'backup-id';

/** One task's flags and positional arguments, as completion needs them (cli/complete.ts completionShape). */
export interface CompletionShape {
  /** `switch`: a boolean flag (it completes as `--x` and `--no-x`, with no value). */
  flags: { flag: string; key: string; switch: boolean; choices?: string[] }[];
  positional: string[];
}

export interface CompletionData {
  /** Task names, sorted. */
  tasks: string[];
  /** Global `--` flags, sorted. */
  globals: string[];
  /** Global flags that take a value, and how that value completes. */
  globalValues: Record<string, ValueKind>;
  /** Each task's own flags (`--no-x` too), in declaration order; `values` for flags that take one. */
  flags: Record<string, { flag: string; values?: ValueKind }[]>;
  /** Tasks whose positional argument completes dynamically. */
  positional: Record<string, ValueKind>;
}

export interface Manifest {
  format: string;
  /** The copy of @promtior/tasks that wrote it. */
  packageDir: string;
  cwd: string;
  /** When its inputs were read (ms since the epoch); every input is older than this by a margin. */
  builtAt: number;
  /** Every file the manifest was made from, with its `mtimeMs:size` (null: must not exist). */
  stamps: [string, string | null][];
  tasks: TaskRef[];
  disabled: string[];
  text: { list: string; listJson: string; help: string };
  complete: CompletionData;
  /** The shell scripts' cache file (see cli/complete.ts). */
  shell?: string;
}
