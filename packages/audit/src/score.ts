/**
 * Scoring, as the seed's audit: six categories of 10 points. A finding costs critical 10, high 5, medium 3, low 1,
 * info 0, at most two findings of one rule count (one noisy rule cannot empty a category), floor 0.
 */
import { CATEGORIES, type Category, type Finding, type Severity } from './model.ts';

export const COST: Record<Severity, number> = { critical: 10, high: 5, medium: 3, low: 1, info: 0 };

export interface Score {
  total: number;
  categories: Record<Category, number>;
  /** Categories the audited files give nothing to judge (no compose file: no limits to check); they keep 10. */
  notApplicable: Category[];
}

export function score(findings: readonly Finding[], notApplicable: readonly Category[] = []): Score {
  const categories = Object.fromEntries(CATEGORIES.map((c) => [c, 10])) as Record<Category, number>;
  const counted = new Map<string, number>();
  for (const f of [...findings].sort((a, b) => COST[b.severity] - COST[a.severity])) {
    const n = counted.get(f.rule) ?? 0;
    if (n >= 2) continue;
    counted.set(f.rule, n + 1);
    categories[f.category] = Math.max(0, categories[f.category] - COST[f.severity]);
  }
  return { total: Object.values(categories).reduce((a, b) => a + b, 0), categories, notApplicable: [...notApplicable] };
}
