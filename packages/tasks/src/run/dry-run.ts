/** Prints a plan as the exact commands, in order; actions appear as comments saying what they would do. */
import { formatCommand } from '../exec/format-command.ts';
import type { Unit } from './plan.ts';

export function planLines(unit: Unit, baseCwd: string, depth = 0): string[] {
  const pad = '  '.repeat(depth);
  const opts = Object.entries(unit.options)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
  const lines = [`${pad}# task ${unit.task.name}${opts ? ` (${opts})` : ''}`];
  for (const step of unit.steps) {
    const mark = step.always ? ' # always runs, also after a failure or Ctrl-C' : '';
    if (step.kind === 'unit') lines.push(...planLines(step.unit, baseCwd, depth + 1));
    else if (step.kind === 'cmd') lines.push(`${pad}${formatCommand(step, baseCwd)}${mark}`);
    else for (const d of step.describe) lines.push(`${pad}# ${d}${mark}`);
  }
  return lines;
}
