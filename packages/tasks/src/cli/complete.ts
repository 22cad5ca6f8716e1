/**
 * Shell completion. `task completion <shell>` prints a script (completion/task.{bash,zsh,fish}) that answers a TAB
 * from a cache file the CLI keeps per folder, so task names, flags and enum values cost no Node start. The script
 * checks the cache against the files it was made from (`-nt`, plain shell builtins) and asks the CLI
 * (`task __complete -- <words>`, see complete-words.cjs) when it is stale, missing, or the value needs the CLI
 * (backup ids, another folder's tasks).
 *
 * The cache file is line-based, fields split by tabs, one candidate per line, so no shell ever expands or runs
 * what it reads: `w PATH` (stale if PATH is newer than this file, or gone), `a PATH` (stale if PATH exists),
 * `s FLAG` (global flag whose value to skip), `t TASK`, `g FLAG` (global flag), `f TASK FLAG`, and for the value
 * after a flag (SCOPE is a task, or `-` for global flags): `c SCOPE FLAG CHOICE`, `e SCOPE FLAG` (free text: the
 * shell's own file completion), `d SCOPE FLAG` (ask the CLI); `p TASK` (its positional value: ask the CLI).
 */
import { readFileSync } from 'node:fs';
import type { CompletionData, CompletionShape, ValueKind } from '../registry/manifest-types.ts';
import { GLOBAL_FLAGS, OUTPUT_MODES } from './argv.ts';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];
export const SHELL_CACHE_HEADER = 'promtior-tasks completion 1';

export function completionScript(shell: Shell): string {
  return readFileSync(new URL(`../../completion/task.${shell}`, import.meta.url), 'utf8');
}

/** What completion needs to know of each task (its shape); `services`: the stack's service names. */
export function completionData(tasks: readonly { name: string; shape: CompletionShape }[], services: readonly string[] = []): CompletionData {
  const data: CompletionData = { tasks: tasks.map((t) => t.name).sort(), globals: [], globalValues: {}, flags: {}, positional: {} };
  for (const g of GLOBAL_FLAGS) {
    for (const flag of g.flags) {
      if (flag.startsWith('--')) data.globals.push(flag);
      if (g.value) data.globalValues[flag] = flag === '--output' ? OUTPUT_MODES.filter((m) => m !== 'auto') : 'free';
    }
  }
  data.globals.sort();
  for (const { name, shape } of tasks) {
    data.flags[name] = shape.flags.flatMap((f) =>
      f.switch ? [{ flag: `--${f.flag}` }, { flag: `--no-${f.flag}` }] : [{ flag: `--${f.flag}`, values: valueKind(f.key, f.choices, services) }],
    );
    if (shape.positional.includes('id')) data.positional[name] = 'backup-id';
    else if (shape.positional.includes('service')) data.positional[name] = [...services];
  }
  return data;
}

/** An option named `service` takes a service of the stack (logs, shell, restart, and a repo's own tasks alike). */
function valueKind(key: string, choices: readonly string[] | undefined, services: readonly string[]): ValueKind {
  if (choices) return [...choices];
  if (key === 'service') return [...services];
  return key === 'id' || key === 'verify' ? 'backup-id' : 'free';
}

/** The shell scripts' cache file (format above), or undefined when a path or name cannot be put on one line. */
export function shellCacheText(data: CompletionData, stamps: readonly (readonly [string, string | null])[]): string | undefined {
  const rows: string[][] = [];
  for (const [p, s] of stamps) rows.push([s === null ? 'a' : 'w', p]);
  for (const flag of Object.keys(data.globalValues)) rows.push(['s', flag]);
  for (const t of data.tasks) rows.push(['t', t]);
  for (const g of data.globals) rows.push(['g', g]);
  for (const t of data.tasks) {
    for (const f of data.flags[t] ?? []) {
      rows.push(['f', t, f.flag]);
      if (f.values !== undefined) rows.push(...valueRows(t, f.flag, f.values));
    }
  }
  for (const [flag, v] of Object.entries(data.globalValues)) rows.push(...valueRows('-', flag, v));
  for (const t of Object.keys(data.positional)) rows.push(['p', t]);
  if (rows.some((r) => r.some((field) => /[\t\n\r]/.test(field)))) return undefined;
  return `${[SHELL_CACHE_HEADER, ...rows.map((r) => r.join('\t'))].join('\n')}\n`;
}

function valueRows(scope: string, flag: string, v: ValueKind): string[][] {
  if (v === 'free') return [['e', scope, flag]];
  if (v === 'backup-id') return [['d', scope, flag]];
  return v.map((c) => ['c', scope, flag, c]);
}
