/**
 * --dry-run: the plan as rows (one per task heading, command or action line), printed as the exact commands in
 * order, actions as comments saying what they would do, with the data flow between steps (`# -> build` where a
 * step produces an output, `# <- build` where one reads it). Rows hold no time, pid or random name, so two dry
 * runs of the same inputs print the same bytes; the JSON output mode prints the same rows as events.
 */
import { formatCommand } from '../exec/format-command.ts';
import type { Unit } from './plan.ts';

export type PlanRow =
  | { kind: 'task'; depth: number; task: string; options: Record<string, unknown> }
  | { kind: 'cmd'; depth: number; command: string; cwd: string; always: boolean; reads: string[]; output?: string }
  | { kind: 'action'; depth: number; title: string; describe: string[]; always: boolean; reads: string[]; output?: string };

export function planRows(unit: Unit, depth = 0): PlanRow[] {
  const options = Object.fromEntries(Object.entries(unit.options).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
  const rows: PlanRow[] = [{ kind: 'task', depth, task: unit.task.name, options }];
  for (const step of unit.steps) {
    if (step.kind === 'unit') {
      rows.push(...planRows(step.unit, depth + 1));
      continue;
    }
    const flow = { always: step.always === true, reads: (step.reads ?? []).map((r) => r.name), ...(step.output ? { output: step.output.name } : {}) };
    if (step.kind === 'cmd') rows.push({ kind: 'cmd', depth, command: formatCommand(step), cwd: step.cwd, ...flow });
    else rows.push({ kind: 'action', depth, title: step.title, describe: [...step.describe], ...flow });
  }
  return rows;
}

/** The rows as shell lines; commands run elsewhere than `baseCwd` are shown as `(cd DIR && ...)`. */
export function planLines(unit: Unit, baseCwd: string): string[] {
  const lines: string[] = [];
  for (const row of planRows(unit)) {
    const pad = '  '.repeat(row.depth);
    if (row.kind === 'task') {
      const opts = Object.entries(row.options)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
        .join(' ');
      lines.push(`${pad}# task ${row.task}${opts ? ` (${opts})` : ''}`);
      continue;
    }
    const marks = [
      row.always ? 'always runs, also after a failure or Ctrl-C' : '',
      row.reads.length > 0 ? `<- ${row.reads.join(', ')}` : '',
      row.output ? `-> ${row.output}` : '',
    ]
      .filter(Boolean)
      .map((m) => ` # ${m}`)
      .join('');
    if (row.kind === 'cmd') lines.push(`${pad}${row.cwd === baseCwd ? row.command : `(cd ${shellDir(row.cwd)} && ${row.command})`}${marks}`);
    else {
      const [first = row.title, ...rest] = row.describe.length > 0 ? row.describe : [row.title];
      lines.push(`${pad}# ${first}${marks}`, ...rest.map((d) => `${pad}# ${d}`));
    }
  }
  return lines;
}

function shellDir(dir: string): string {
  return formatCommand({ argv: [dir] });
}
