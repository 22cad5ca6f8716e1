/**
 * --dry-run: the plan as rows (one per task heading, command or action line), printed as the exact commands in
 * order, actions as comments saying what they would do, with the data flow between steps (`# -> build` where a
 * step produces an output, `# <- build` where one reads it) and what runs at once: a task's deps
 * (`# at once: a, b`) and the branches of a `parallel` step. A task planned twice is listed once. Rows hold no
 * time, pid or random name, so two dry runs of the same inputs print the same bytes; the JSON output mode prints
 * the same rows as events.
 */
import { formatCommand } from '../exec/format-command.ts';
import type { PlannedStep, Unit } from './plan.ts';

interface Flow {
  always: boolean;
  /** The output whose producer must have begun for this step to run (a teardown of what that step set up). */
  onlyAfter?: string;
  reads: string[];
  output?: string;
}

export type PlanRow =
  | { kind: 'task'; depth: number; task: string; id: string; options: Record<string, unknown> }
  | { kind: 'concurrent'; depth: number; of: string; ids: string[] }
  | { kind: 'planned-above'; depth: number; id: string }
  | { kind: 'parallel'; depth: number; branches: number }
  | { kind: 'branch'; depth: number; branch: number }
  | ({ kind: 'cmd'; depth: number; command: string; cwd: string } & Flow)
  | ({ kind: 'action'; depth: number; title: string; describe: string[] } & Flow)
  | ({ kind: 'check'; depth: number; title: string; describe: string[] } & Flow);

export function planRows(root: Unit): PlanRow[] {
  const rows: PlanRow[] = [];
  const listed = new Set<Unit>();
  const unitRows = (unit: Unit, depth: number) => {
    listed.add(unit);
    const options = Object.fromEntries(Object.entries(unit.options).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
    rows.push({ kind: 'task', depth, task: unit.task.name, id: unit.id, options });
    if (unit.deps.length > 1) rows.push({ kind: 'concurrent', depth: depth + 1, of: unit.id, ids: unit.deps.map((d) => d.id) });
    for (const dep of unit.deps) {
      if (listed.has(dep)) rows.push({ kind: 'planned-above', depth: depth + 1, id: dep.id });
      else unitRows(dep, depth + 1);
    }
    stepRows(unit.steps, depth);
  };
  const stepRows = (steps: readonly PlannedStep[], depth: number) => {
    for (const step of steps) {
      if (step.kind === 'unit') {
        // A call of a task planned earlier adds nothing: it ran (or runs) once, there.
        if (!listed.has(step.unit)) unitRows(step.unit, depth + 1);
        continue;
      }
      if (step.kind === 'parallel') {
        rows.push({ kind: 'parallel', depth, branches: step.branches.length });
        step.branches.forEach((b, i) => {
          rows.push({ kind: 'branch', depth: depth + 1, branch: i + 1 });
          stepRows(b, depth + 2);
        });
        continue;
      }
      const flow: Flow = {
        always: step.kind !== 'check' && step.always === true,
        reads: step.kind === 'check' ? [] : (step.reads ?? []).map((r) => r.name),
        ...(step.output ? { output: step.output.name } : {}),
        ...(step.kind !== 'check' && step.onlyAfter ? { onlyAfter: step.onlyAfter.name } : {}),
      };
      if (step.kind === 'cmd') rows.push({ kind: 'cmd', depth, command: formatCommand(step), cwd: step.cwd, ...flow });
      else rows.push({ kind: step.kind, depth, title: step.title, describe: [...step.describe], ...flow });
    }
  };
  unitRows(root, 0);
  return rows;
}

/** The rows as shell lines; commands run elsewhere than `baseCwd` are shown as `(cd DIR && ...)`. */
export function planLines(unit: Unit, baseCwd: string): string[] {
  const lines: string[] = [];
  for (const row of planRows(unit)) {
    const pad = '  '.repeat(row.depth);
    switch (row.kind) {
      case 'task': {
        const opts = Object.entries(row.options)
          .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
          .join(' ');
        lines.push(`${pad}# task ${row.task}${opts ? ` (${opts})` : ''}`);
        break;
      }
      case 'concurrent':
        lines.push(`${pad}# at once, before ${row.of}: ${row.ids.join(', ')}`);
        break;
      case 'planned-above':
        lines.push(`${pad}# task ${row.id}: listed above (runs once)`);
        break;
      case 'parallel':
        lines.push(`${pad}# at once: the ${row.branches} branches below`);
        break;
      case 'branch':
        lines.push(`${pad}# branch ${row.branch}`);
        break;
      default: {
        const marks = [
          row.always ? `always runs${row.onlyAfter ? ` once the step -> ${row.onlyAfter} has begun` : ''}, also after a failure or Ctrl-C` : '',
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
    }
  }
  return lines;
}

function shellDir(dir: string): string {
  return formatCommand({ argv: [dir] });
}
