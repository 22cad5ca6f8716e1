/**
 * The data-flow check: every output a step reads must be produced by a step that is sure to have run before it.
 * "Before" follows the graph: a unit's deps before its steps, a unit's steps in order, a called unit before the
 * step after the call; the branches of a `parallel` step are not ordered among themselves, so one branch cannot
 * read what a sibling produces.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import type { Output } from '../model/data-flow.ts';
import type { PlannedStep, Unit } from './plan.ts';

type Produced = ReadonlySet<Output<unknown>>;

export function checkFlow(root: Unit): void {
  const done = new Map<Unit, Produced>();
  const produce = (unit: Unit): Produced => {
    const known = done.get(unit);
    if (known) return known;
    const available = new Set<Output<unknown>>();
    for (const dep of unit.deps) for (const o of produce(dep)) available.add(o);
    walkSteps(unit, unit.steps, available, produce);
    done.set(unit, available);
    return available;
  };
  produce(root);
}

function walkSteps(unit: Unit, steps: readonly PlannedStep[], available: Set<Output<unknown>>, produce: (u: Unit) => Produced): void {
  for (const step of steps) {
    if (step.kind === 'unit') {
      for (const o of produce(step.unit)) available.add(o);
      continue;
    }
    if (step.kind === 'parallel') {
      const after = new Set(available);
      for (const branch of step.branches) {
        const own = new Set(available);
        walkSteps(unit, branch, own, produce);
        for (const o of own) after.add(o);
      }
      for (const o of after) available.add(o);
      continue;
    }
    const reads = step.kind === 'check' ? [] : (step.reads ?? []);
    for (const read of reads) {
      if (!available.has(read)) {
        const title = step.kind === 'cmd' ? String(step.argv[0] ?? '') : step.title;
        throw new TaskError(
          ErrorCode.badPlan,
          `task ${unit.task.name}: step "${title}" reads output "${read.name}", which no earlier step produces (a step in a parallel sibling branch is not earlier). Produce it first (a step with { output: ${read.name} }), or drop the read.`,
        );
      }
    }
    if (step.output) available.add(step.output as Output<unknown>);
  }
}
