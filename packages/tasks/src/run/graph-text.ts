/**
 * --graph: the planned graph as Mermaid or Graphviz DOT text, one node per unit (a task with its options) and an
 * edge for each wait: `needs` for a dep (runs before, at once with the other deps), `calls` for a call step (runs
 * in the middle of the caller). What runs at once is what no edge orders. Deterministic, like --dry-run.
 */
import type { GraphFormat } from '../model/global-flags.ts';
import { allUnits } from './graph.ts';
import type { PlannedStep, Unit } from './plan.ts';

interface Edge {
  from: Unit;
  to: Unit;
  kind: 'needs' | 'calls';
}

export function graphText(root: Unit, format: GraphFormat): string {
  const units = allUnits(root);
  const index = new Map(units.map((u, i) => [u, `n${i}`]));
  const edges = units.flatMap(edgesOf);
  if (format === 'dot') {
    return [
      'digraph tasks {',
      '  rankdir=LR;',
      '  node [shape=box];',
      ...units.map((u) => `  ${index.get(u)} [label=${JSON.stringify(u.id)}];`),
      ...edges.map((e) => `  ${index.get(e.from)} -> ${index.get(e.to)} [label=${JSON.stringify(e.kind)}${e.kind === 'calls' ? ', style=dashed' : ''}];`),
      '}',
    ].join('\n');
  }
  return [
    'flowchart LR',
    ...units.map((u) => `  ${index.get(u)}["${u.id.replace(/"/g, '#quot;')}"]`),
    ...edges.map((e) => `  ${index.get(e.from)} ${e.kind === 'calls' ? '-.->|calls|' : '-->|needs|'} ${index.get(e.to)}`),
  ].join('\n');
}

function edgesOf(unit: Unit): Edge[] {
  const edges: Edge[] = unit.deps.map((d) => ({ from: unit, to: d, kind: 'needs' as const }));
  const called = new Set<Unit>();
  const visit = (s: PlannedStep) => {
    if (s.kind === 'unit' && !called.has(s.unit)) {
      called.add(s.unit);
      edges.push({ from: unit, to: s.unit, kind: 'calls' });
    } else if (s.kind === 'parallel') for (const b of s.branches) for (const x of b) visit(x);
  };
  for (const s of unit.steps) visit(s);
  return edges;
}
