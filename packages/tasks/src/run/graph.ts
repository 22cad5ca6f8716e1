/**
 * The planned graph as a whole: every unit once, unique ids, the order units are shown in, and how much waits on
 * each (the scheduler starts the unit with the longest chain behind it first, as a critical-path list scheduler).
 */
import type { PlannedStep, Unit } from './plan.ts';

/** Every unit reachable from `root`, each once, deps before the steps that follow them (the order --dry-run shows). */
export function allUnits(root: Unit): Unit[] {
  const seen = new Set<Unit>();
  const visit = (u: Unit) => {
    if (seen.has(u)) return;
    seen.add(u);
    for (const d of u.deps) visit(d);
    for (const s of u.steps) visitStep(s);
  };
  const visitStep = (s: PlannedStep) => {
    if (s.kind === 'unit') visit(s.unit);
    else if (s.kind === 'parallel') for (const b of s.branches) for (const x of b) visitStep(x);
  };
  visit(root);
  return [...seen];
}

/** The units a unit waits for: its deps and the units its steps call. */
export function children(unit: Unit): Unit[] {
  const out = [...unit.deps];
  const visitStep = (s: PlannedStep) => {
    if (s.kind === 'unit') out.push(s.unit);
    else if (s.kind === 'parallel') for (const b of s.branches) for (const x of b) visitStep(x);
  };
  for (const s of unit.steps) visitStep(s);
  return [...new Set(out)];
}

/** A task name alone when it is planned once; else the name with the options that tell its units apart. */
export function assignIds(units: readonly Unit[]): void {
  const byName = new Map<string, Unit[]>();
  for (const u of units) byName.set(u.task.name, [...(byName.get(u.task.name) ?? []), u]);
  for (const [name, same] of byName) {
    if (same.length === 1) {
      (same[0] as Unit).id = name;
      continue;
    }
    const keys = [...new Set(same.flatMap((u) => Object.keys(u.options)))].filter((k) => new Set(same.map((u) => JSON.stringify(u.options[k]))).size > 1);
    const taken = new Set<string>();
    for (const u of same) {
      let id = `${name}(${keys.map((k) => `${k}=${show(u.options[k])}`).join(',')})`;
      for (let n = 2; taken.has(id); n++) id = `${name}#${n}`;
      taken.add(id);
      u.id = id;
    }
  }
}

function show(v: unknown): string {
  return Array.isArray(v) ? v.map(String).join('+') : String(v);
}

/**
 * How much of the run waits on each unit: its own weight plus the heaviest chain of units waiting for it, up to the
 * root (the "upward rank" of list scheduling). Weights are the last run's durations where known, else 1.
 */
export function ranks(root: Unit, weight: (u: Unit) => number): Map<Unit, number> {
  const waiting = new Map<Unit, Unit[]>();
  const units = allUnits(root);
  for (const u of units) for (const c of children(u)) waiting.set(c, [...(waiting.get(c) ?? []), u]);
  const rank = new Map<Unit, number>();
  const visit = (u: Unit, path: Set<Unit>): number => {
    const known = rank.get(u);
    if (known !== undefined) return known;
    if (path.has(u)) return 0;
    path.add(u);
    const after = Math.max(0, ...(waiting.get(u) ?? []).map((w) => visit(w, path)));
    path.delete(u);
    const r = weight(u) + after;
    rank.set(u, r);
    return r;
  };
  for (const u of units) visit(u, new Set());
  return rank;
}
