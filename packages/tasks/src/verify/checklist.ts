/** The seed's testing checklist as data: each item passes or fails with the figure that was measured. */
export const GROUPS = ['build', 'runtime', 'orchestration', 'development'] as const;
export type Group = (typeof GROUPS)[number];

export interface Item {
  group: Group;
  name: string;
  ok: boolean;
  /** What was measured: "123.3 MB (budget 250 MB)", "healthy after 10.4 s". */
  figure: string;
  detail?: string;
}

export class Checklist {
  readonly items: Item[] = [];

  add(group: Group, name: string, ok: boolean, figure: string, detail?: string): Item {
    const item = { group, name, ok, figure, detail };
    this.items.push(item);
    return item;
  }

  /** Runs a check; an exception fails the item with its message instead of ending the run. */
  async check(group: Group, name: string, fn: () => Promise<{ ok: boolean; figure: string; detail?: string }>): Promise<boolean> {
    try {
      const r = await fn();
      this.add(group, name, r.ok, r.figure, r.detail);
      return r.ok;
    } catch (error) {
      this.add(group, name, false, 'could not be checked', (error as Error).message.split('\n')[0]);
      return false;
    }
  }

  get failed(): Item[] {
    return this.items.filter((i) => !i.ok);
  }

  text(): string {
    const lines: string[] = [];
    for (const g of GROUPS) {
      const items = this.items.filter((i) => i.group === g);
      if (items.length === 0) continue;
      lines.push(`${g[0]?.toUpperCase()}${g.slice(1)}:`);
      for (const i of items) lines.push(`  [${i.ok ? 'x' : ' '}] ${i.name}: ${i.figure}${i.detail ? ` (${i.detail})` : ''}`);
    }
    lines.push(`${this.items.length - this.failed.length} of ${this.items.length} items pass`);
    return lines.join('\n');
  }

  json(): string {
    return JSON.stringify({ ok: this.failed.length === 0, items: this.items }, null, 2);
  }
}
