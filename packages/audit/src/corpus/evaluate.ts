/**
 * Scores the audit against the hand-labelled corpus (packages/audit/corpus/index.json): for each label, what the
 * report says about each service is compared with the label, and precision and recall are computed over all
 * services (binary labels) or all (service, variable) pairs (secret names and values). A finding is attributed to
 * the services it names (`services`, or "service X" in the message for reports that predate the field); a
 * Dockerfile finding with neither is attributed to the Dockerfile itself, which is a unit only when no service
 * builds it. Predictions on units that are not labelled are counted apart ("unattributed"), not as hits.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface UnitLabels {
  root: boolean | null;
  health: 'none' | 'present' | 'broken' | 'weak' | null;
  secretNames: string[];
  secretValues: string[];
  unpinned: boolean | null;
  noLimits: boolean | null;
}

export interface CorpusEntry {
  id: string;
  files: { file: string; repo: string; path: string; commit: string; sha256: string }[];
  units: Record<string, UnitLabels>;
}

export interface CorpusIndex {
  entries: CorpusEntry[];
}

/** The part of a report the evaluation reads (the JSON report of any version of the audit has it). */
export interface ReportLike {
  findings: { rule: string; file: string; message: string; services?: string[] }[];
}

export const LABELS = ['root', 'health:none', 'health:broken', 'health:weak', 'secretNames', 'secretValues', 'unpinned', 'noLimits'] as const;
export type Label = (typeof LABELS)[number];

export interface Metric {
  label: Label;
  tp: number;
  fp: number;
  fn: number;
  /** Labelled positives (support). */
  positives: number;
  precision: number;
  recall: number;
}

export const GOAL = 0.95;

/** The corpus files that are missing or differ from the recorded sha256 (empty: the corpus is complete). */
export function corpusProblems(corpusDir: string, index: CorpusIndex): string[] {
  const out: string[] = [];
  for (const e of index.entries)
    for (const f of e.files) {
      const p = path.join(corpusDir, 'files', e.id, f.file);
      if (!existsSync(p)) out.push(`${e.id}/${f.file}: missing`);
      else if (createHash('sha256').update(readFileSync(p)).digest('hex') !== f.sha256) out.push(`${e.id}/${f.file}: differs from ${f.repo}@${f.commit}`);
    }
  return out;
}

function unitsOf(f: ReportLike['findings'][number]): string[] {
  if (f.services && f.services.length > 0) return f.services;
  const named = /\bservice (\S+?)(?=[\s:,)]|$)/.exec(f.message)?.[1];
  return [named ?? f.file];
}

/** The variable a secret finding is about, from its message: [rule, pattern, what the captured name is]. */
const SECRET_MESSAGES: [string, RegExp, 'name' | 'value' | 'both'][] = [
  ['SM-001', /^(?:ARG|ENV) ([\w.-]+) has a (?:default|placeholder)/, 'both'],
  ['SM-001', /^(?:ARG|ENV) ([\w.-]+)/, 'name'],
  ['SM-003', /^ENV ([\w.-]+)/, 'name'],
  ['SM-008', /passes ([\w.-]+) as a build argument/, 'name'],
  ['SM-007', /sets ([\w.-]+) to/, 'value'],
  ['SM-009', /: ([\w.-]+) defaults to/, 'value'],
];

function secretKey(rule: string, message: string): { kind: 'name' | 'value'; key: string }[] {
  if (rule === 'SM-002') return [{ kind: 'value', key: '*' }];
  for (const [r, re, kind] of SECRET_MESSAGES) {
    const key = r === rule ? re.exec(message)?.[1] : undefined;
    if (!key) continue;
    return kind === 'both'
      ? [
          { kind: 'name', key },
          { kind: 'value', key },
        ]
      : [{ kind, key }];
  }
  return [];
}

const BINARY: Record<Exclude<Label, 'secretNames' | 'secretValues'>, { rules: string[]; truth: (u: UnitLabels) => boolean | null }> = {
  root: { rules: ['UP-001'], truth: (u) => u.root },
  'health:none': { rules: ['HM-001'], truth: (u) => (u.health === null ? null : u.health === 'none') },
  'health:broken': { rules: ['HM-002'], truth: (u) => (u.health === null ? null : u.health === 'broken') },
  'health:weak': { rules: ['HM-003'], truth: (u) => (u.health === null ? null : u.health === 'weak') },
  unpinned: { rules: ['BI-001', 'BI-002', 'BI-011'], truth: (u) => u.unpinned },
  noLimits: { rules: ['RL-001'], truth: (u) => u.noLimits },
};

function metric(label: Label, tp: number, fp: number, fn: number): Metric {
  return { label, tp, fp, fn, positives: tp + fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
}

export interface Evaluation {
  metrics: Metric[];
  units: number;
  /** Findings of the scored rules that named no labelled unit. */
  unattributed: number;
  /** Each miss or false alarm, for reading: `entry unit label fp|fn`. */
  errors: string[];
}

export function evaluate(index: CorpusIndex, reportFor: (entry: CorpusEntry) => ReportLike): Evaluation {
  const counts = new Map<Label, { tp: number; fp: number; fn: number }>(LABELS.map((l) => [l, { tp: 0, fp: 0, fn: 0 }]));
  const errors: string[] = [];
  let unattributed = 0;
  let units = 0;
  const scored = new Set([...Object.values(BINARY).flatMap((b) => b.rules), 'SM-001', 'SM-002', 'SM-003', 'SM-007', 'SM-008', 'SM-009']);
  for (const entry of index.entries) {
    const report = reportFor(entry);
    units += Object.keys(entry.units).length;
    const predicted = new Map<string, Set<string>>();
    const secrets = new Map<string, Set<string>>();
    for (const f of report.findings) {
      if (!scored.has(f.rule)) continue;
      const targets = unitsOf(f).filter((u) => entry.units[u]);
      if (targets.length === 0) unattributed++;
      for (const u of targets) {
        for (const [label, b] of Object.entries(BINARY)) if (b.rules.includes(f.rule)) predicted.set(`${u}\t${label}`, new Set());
        for (const s of secretKey(f.rule, f.message)) {
          const key = `${u}\t${s.kind === 'name' ? 'secretNames' : 'secretValues'}`;
          secrets.set(key, (secrets.get(key) ?? new Set()).add(s.key));
        }
      }
    }
    for (const [unit, labels] of Object.entries(entry.units)) {
      for (const [label, b] of Object.entries(BINARY) as [Label, (typeof BINARY)[keyof typeof BINARY]][]) {
        const truth = b.truth(labels);
        if (truth === null) continue;
        const said = predicted.has(`${unit}\t${label}`);
        const c = counts.get(label) as { tp: number; fp: number; fn: number };
        if (said && truth) c.tp++;
        else if (said) {
          c.fp++;
          errors.push(`${entry.id} ${unit} ${label} fp`);
        } else if (truth) {
          c.fn++;
          errors.push(`${entry.id} ${unit} ${label} fn`);
        }
      }
      for (const label of ['secretNames', 'secretValues'] as const) {
        const truth = new Set(labels[label]);
        const said = secrets.get(`${unit}\t${label}`) ?? new Set<string>();
        const c = counts.get(label) as { tp: number; fp: number; fn: number };
        for (const k of said) {
          if (truth.has(k) || (k === '*' && truth.size > 0)) c.tp++;
          else {
            c.fp++;
            errors.push(`${entry.id} ${unit} ${label}:${k} fp`);
          }
        }
        for (const k of truth)
          if (!said.has(k) && !(said.has('*') && truth.size > 0)) {
            c.fn++;
            errors.push(`${entry.id} ${unit} ${label}:${k} fn`);
          }
      }
    }
  }
  return { metrics: LABELS.map((l) => metric(l, counts.get(l)?.tp ?? 0, counts.get(l)?.fp ?? 0, counts.get(l)?.fn ?? 0)), units, unattributed, errors };
}

/** The per-label table (Markdown), as the bench prints it. */
export function formatMetrics(e: Evaluation): string {
  const rows = e.metrics.map((m) => `| ${m.label} | ${m.positives} | ${m.tp} | ${m.fp} | ${m.fn} | ${m.precision.toFixed(2)} | ${m.recall.toFixed(2)} |`);
  return ['| label | positives | tp | fp | fn | precision | recall |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}
