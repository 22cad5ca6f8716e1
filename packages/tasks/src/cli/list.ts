/** `--list` as text and as JSON; kept free of heavy imports because it is the hot start-up path. */
import type { ListedTask } from '../registry/registry.ts';
import { compareText } from '../text/compare.ts';

export function listText(tasks: readonly ListedTask[]): string {
  const groups = new Map<string, ListedTask[]>();
  for (const t of tasks) groups.set(t.group, [...(groups.get(t.group) ?? []), t]);
  const width = Math.max(...tasks.map((t) => t.name.length));
  const lines: string[] = [];
  for (const [group, members] of [...groups].sort(([a], [b]) => compareText(a, b))) {
    lines.push(`${group}:`);
    for (const t of members.sort((a, b) => compareText(a.name, b.name))) {
      const from = t.overrides ? `${t.source}, overrides ${t.overrides}` : t.source;
      lines.push(`  ${t.name.padEnd(width)}  ${t.description}  [${from}]${t.deps?.length ? `  needs: ${t.deps.join(', ')}` : ''}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function listJson(tasks: readonly ListedTask[]): string {
  return JSON.stringify(
    tasks.map((t) => ({
      name: t.name,
      description: t.description,
      group: t.group,
      source: t.source,
      ...(t.overrides ? { overrides: t.overrides } : {}),
      ...(t.deps?.length ? { deps: t.deps } : {}),
    })),
    null,
    2,
  );
}
