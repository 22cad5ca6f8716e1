/**
 * Compose files as compose sees them: YAML anchors and merge keys resolved, `${VAR:-default}` interpolated from the
 * project's .env and the shell, override files merged in order (mappings deep-merged; ports, volumes and the like
 * appended; environment lists read as maps), with the file and line every setting came from.
 */
import { interpolate } from '@promtior/env';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

export interface Where {
  file: string;
  line: number;
}

export type ComposeValue = string | number | boolean | null | ComposeValue[] | { [k: string]: ComposeValue };

export interface Service {
  name: string;
  config: Record<string, ComposeValue>;
}

export interface Compose {
  files: string[];
  services: Service[];
  /** Where a dotted path (`services.app.user`) was set; falls back to the nearest parent that was. */
  where(path: string): Where;
  /** Rule ids ignored at a path by an `# audit-ignore=RULE` comment on the line before or on the line. */
  ignored(path: string): string[];
  /** Problems reading the files (YAML errors), as findings to report. */
  errors: { file: string; line: number; message: string }[];
  /** A line of a file as written (before interpolation). */
  rawLine(file: string, line: number): string | undefined;
}

const APPEND = new Set(['ports', 'expose', 'volumes', 'env_file', 'dns', 'cap_add', 'cap_drop', 'security_opt', 'tmpfs', 'extra_hosts', 'devices']);

export function loadCompose(files: readonly { file: string; text: string }[], env: Readonly<Record<string, string | undefined>>): Compose {
  const where = new Map<string, Where>();
  const ignores = new Map<string, string[]>();
  const errors: Compose['errors'] = [];
  let merged: Record<string, ComposeValue> = {};
  for (const { file, text } of files) {
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc, merge: true, uniqueKeys: false });
    for (const e of doc.errors) errors.push({ file, line: e.linePos?.[0].line ?? 1, message: e.message.split('\n')[0] ?? e.message });
    if (doc.errors.length > 0) continue;
    const lines = text.split('\n');
    walk(doc.contents, '', (path, node) => {
      const line = node.range ? lc.linePos(node.range[0]).line : 1;
      where.set(path, { file, line });
      const rules = [lines[line - 2], lines[line - 1]].flatMap(
        (l) =>
          /#\s*audit-ignore=([\w,\s-]+)/
            .exec(l ?? '')?.[1]
            ?.split(/[\s,]+/)
            .filter(Boolean) ?? [],
      );
      if (rules.length > 0) ignores.set(path, rules);
    });
    const data = interpolateAll(doc.toJS({ maxAliasCount: -1 }) as ComposeValue, env);
    merged = mergeCompose(merged, (data ?? {}) as Record<string, ComposeValue>);
  }
  const servicesObj = (merged.services ?? {}) as Record<string, Record<string, ComposeValue>>;
  const services = Object.entries(servicesObj).map(([name, config]) => ({ name, config: normalizeService(config ?? {}) }));
  const texts = new Map(files.map((f) => [f.file, f.text.split('\n')]));
  return {
    files: files.map((f) => f.file),
    services,
    errors,
    rawLine: (file, line) => texts.get(file)?.[line - 1],
    where(path) {
      for (let p = path; ; p = p.slice(0, Math.max(0, p.lastIndexOf('.')))) {
        const w = where.get(p);
        if (w) return w;
        if (!p) return { file: files[0]?.file ?? 'compose', line: 1 };
      }
    },
    ignored(path) {
      const out: string[] = [];
      for (let p = path; p; p = p.slice(0, Math.max(0, p.lastIndexOf('.')))) out.push(...(ignores.get(p) ?? []));
      return out;
    },
  };
}

function walk(node: Node | null | undefined, path: string, visit: (path: string, node: Node) => void): void {
  if (!node) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (key === '<<') continue;
      const p = path ? `${path}.${key}` : key;
      visit(p, pair.key as Node);
      walk(pair.value as Node, p, visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const p = `${path}.${i}`;
      if (item && typeof item === 'object' && 'range' in item) visit(p, item as Node);
      walk(item as Node, p, visit);
    });
  }
}

function interpolateAll(v: ComposeValue, env: Readonly<Record<string, string | undefined>>): ComposeValue {
  if (typeof v === 'string') {
    try {
      return interpolate(v, (k) => env[k]).value;
    } catch {
      return v;
    }
  }
  if (Array.isArray(v)) return v.map((x) => interpolateAll(x, env));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolateAll(x, env)]));
  return v;
}

/** `environment: [K=V]` → `{K: V}`, so files in either form merge and rules see one shape. */
function normalizeService(config: Record<string, ComposeValue>): Record<string, ComposeValue> {
  const env = config.environment;
  if (Array.isArray(env)) {
    config.environment = Object.fromEntries(
      env.map((e) => String(e)).map((e) => [e.split('=')[0] as string, e.includes('=') ? e.slice(e.indexOf('=') + 1) : null]),
    );
  }
  return config;
}

/** Compose's override merge: mappings merge key by key, list settings like ports append, anything else replaces. */
export function mergeCompose(base: Record<string, ComposeValue>, over: Record<string, ComposeValue>): Record<string, ComposeValue> {
  const out: Record<string, ComposeValue> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (Array.isArray(b) && Array.isArray(v) && APPEND.has(k)) out[k] = [...b, ...v.filter((x) => !b.some((y) => JSON.stringify(y) === JSON.stringify(x)))];
    else if (isPlain(b) && isPlain(v)) out[k] = mergeCompose(b, v);
    else out[k] = v;
  }
  return out;
}

function isPlain(v: ComposeValue | undefined): v is { [k: string]: ComposeValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
