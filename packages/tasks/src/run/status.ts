/**
 * --status: for each task of the graph, whether it would run and why ("src/a.ts changed", "option target changed",
 * "declares no sources"), from the same checks a run makes, without running or remembering anything. Like
 * `make -q` and go-task's --status, the exit code says whether everything is up to date.
 */
import type { Interrupt } from '../exec/interrupt.ts';
import type { Masker } from '../exec/mask.ts';
import { runCommand } from '../exec/run-command.ts';
import type { StateStore } from '../fingerprint/state.ts';
import type { CheckStep } from '../model/up-to-date.ts';
import { allUnits } from './graph.ts';
import type { Unit } from './plan.ts';
import { peekCheck } from './up-to-date.ts';

export interface UnitStatus {
  id: string;
  task: string;
  run: boolean;
  why: string;
}

export async function graphStatus(root: Unit, opts: { state: StateStore; force: boolean; interrupt: Interrupt; masker: Masker }): Promise<UnitStatus[]> {
  const out: UnitStatus[] = [];
  for (const unit of allUnits(root)) {
    const check = unit.steps.find((s): s is CheckStep => s.kind === 'check');
    const base = { id: unit.id, task: unit.task.name };
    if (!check) {
      out.push({ ...base, run: true, why: 'declares no sources: runs every time' });
      continue;
    }
    const r = await peekCheck(check, opts.state, {
      force: opts.force && unit === root,
      exec: (spec, o) => runCommand(spec, { onLine: () => {}, interrupt: opts.interrupt, mask: (t) => opts.masker.mask(t), okExitCodes: o.okExitCodes }),
    });
    out.push({ ...base, run: !r.upToDate, why: r.why });
  }
  return out;
}

export function statusLines(rows: readonly UnitStatus[]): string[] {
  const width = Math.max(4, ...rows.map((r) => r.id.length));
  return rows.map((r) => `${r.run ? '▶' : '✔'} ${r.id.padEnd(width)}  ${r.run ? `would run: ${r.why}` : `up to date (${r.why})`}`);
}
