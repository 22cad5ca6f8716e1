/**
 * Compose files as compose sees them: YAML anchors and merge keys resolved (through the bounded reader),
 * `${VAR:-default}` interpolated from the project's .env and the shell, override files merged in order (mappings
 * deep-merged; ports, volumes and the like appended; environment lists read as maps), with the file and line every
 * setting came from, list-form `- KEY=value` entries included.
 */
import { interpolate } from '@promtior/env';
import { positionOf, readYaml, setPosition, type YamlRead } from '../yaml/read-yaml.ts';

export interface Where {
  file: string;
  line: number;
}

export type ComposeValue = string | number | boolean | null | ComposeValue[] | { [k: string]: ComposeValue };

export interface Service {
  name: string;
  /** Settings after interpolation and override merge. */
  config: Record<string, ComposeValue>;
  /** The same settings as written, before interpolation (to tell `${VAR}` references from literals). */
  raw: Record<string, ComposeValue>;
}

export interface ComposeError {
  file: string;
  line: number;
  message: string;
  fix: string;
}

export interface Compose {
  files: string[];
  services: Service[];
  /** Where a dotted path (`services.app.user`) was set; falls back to the nearest parent that was. */
  where(path: string): Where;
  /** Rule ids ignored at a path by an `# audit-ignore=RULE` comment on the line before or on the line. */
  ignored(path: string): string[];
  /** Problems reading the files (YAML errors, alias bombs, not a mapping), as findings to report. */
  errors: ComposeError[];
  /** A line of a file as written (before interpolation). */
  rawLine(file: string, line: number): string | undefined;
}

const APPEND = new Set(['ports', 'expose', 'volumes', 'env_file', 'dns', 'cap_add', 'cap_drop', 'security_opt', 'tmpfs', 'extra_hosts', 'devices']);
const IGNORE = /#\s*audit-ignore=([\w,\s-]+)/;

export function loadCompose(files: readonly { file: string; text: string }[], env: Readonly<Record<string, string | undefined>>): Compose {
  const errors: ComposeError[] = [];
  const reads: { read: YamlRead; lines: string[] }[] = [];
  let merged: Record<string, ComposeValue> = {};
  let mergedRaw: Record<string, ComposeValue> = {};
  for (const { file, text } of files) {
    const read = readYaml(text, file);
    for (const p of read.problems) errors.push({ file, line: p.line, message: p.message, fix: p.fix });
    if (read.problems.length > 0) continue;
    const shape = checkShape(read);
    if (shape) {
      errors.push({
        file,
        line: shape.line,
        message: shape.message,
        fix: 'Fix the file: compose expects `services:` mapping service names to their settings.',
      });
      continue;
    }
    const data = (read.data ?? {}) as Record<string, ComposeValue>;
    for (const svc of Object.values(obj(data.services))) environmentAsMap(svc);
    reads.push({ read, lines: text.split('\n') });
    merged = mergeCompose(merged, interpolateAll(data, env) as Record<string, ComposeValue>);
    mergedRaw = mergeCompose(mergedRaw, data);
  }
  const services = Object.entries(obj(merged.services)).map(([name, config]) => ({ name, config: obj(config), raw: obj(obj(mergedRaw.services)[name]) }));
  const texts = new Map(files.map((f) => [f.file, f.text.split('\n')]));
  /** The deepest match of a path over the files, the later file winning a tie (it overrides). */
  const find = (segments: string[]) => {
    let best: { file: string; line: number; depth: number } | undefined;
    for (const { read } of reads) {
      const at = read.locate(segments);
      if (at && (!best || at.depth >= best.depth)) best = { file: read.file, line: at.line, depth: at.depth };
    }
    return best;
  };
  return {
    files: files.map((f) => f.file),
    services,
    errors,
    rawLine: (file, line) => texts.get(file)?.[line - 1],
    where(path) {
      const hit = find(path.split('.'));
      return hit ? { file: hit.file, line: hit.line } : { file: files[0]?.file ?? 'compose', line: 1 };
    },
    ignored(path) {
      const out: string[] = [];
      const segments = path.split('.');
      for (let n = segments.length; n > 0; n--) {
        const hit = find(segments.slice(0, n));
        if (!hit || hit.depth !== n) continue;
        const lines = texts.get(hit.file) ?? [];
        for (const l of [lines[hit.line - 2], lines[hit.line - 1]])
          out.push(
            ...(IGNORE.exec(l ?? '')?.[1]
              ?.split(/[\s,]+/)
              .filter(Boolean) ?? []),
          );
      }
      return out;
    },
  };
}

/** Compose's own shape checks: a mapping at the top, `services` a mapping of mappings. */
function checkShape(read: YamlRead): { line: number; message: string } | undefined {
  const data = read.data;
  if (data === null || data === undefined) return { line: 1, message: 'the file is empty' };
  if (typeof data !== 'object' || Array.isArray(data)) return { line: 1, message: 'the file is not a mapping of top-level keys (services:, volumes:, ...)' };
  const services = (data as Record<string, unknown>).services;
  if (services === undefined || services === null) return undefined;
  if (typeof services !== 'object' || Array.isArray(services))
    return { line: read.locate(['services'])?.line ?? 1, message: '"services" must be a mapping of service names to their settings' };
  for (const [name, svc] of Object.entries(services))
    if (svc !== null && (typeof svc !== 'object' || Array.isArray(svc)))
      return { line: read.locate(['services', name])?.line ?? 1, message: `service "${name}" must be a mapping of settings` };
  return undefined;
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

/** `environment: [K=V]` → `{K: V}` in place, each key keeping the line of its list item, so both forms read alike. */
function environmentAsMap(service: ComposeValue | undefined): void {
  if (!service || typeof service !== 'object' || Array.isArray(service)) return;
  const list = service.environment;
  if (!Array.isArray(list)) return;
  const map: Record<string, ComposeValue> = {};
  list.forEach((item, i) => {
    const e = String(item ?? '');
    const eq = e.indexOf('=');
    const key = (eq < 0 ? e : e.slice(0, eq)).trim();
    Object.defineProperty(map, key, { value: eq < 0 ? null : e.slice(eq + 1), writable: true, enumerable: true, configurable: true });
    setPosition(map, key, positionOf(list, String(i)));
  });
  const at = positionOf(service, 'environment');
  service.environment = map;
  setPosition(service, 'environment', at);
}

/** Compose's override merge: mappings merge key by key, list settings like ports append, anything else replaces. */
export function mergeCompose(base: Record<string, ComposeValue>, over: Record<string, ComposeValue>): Record<string, ComposeValue> {
  const out: Record<string, ComposeValue> = Object.fromEntries(Object.entries(base));
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const value =
      Array.isArray(b) && Array.isArray(v) && APPEND.has(k)
        ? [...b, ...v.filter((x) => !b.some((y) => JSON.stringify(y) === JSON.stringify(x)))]
        : isPlain(b) && isPlain(v)
          ? mergeCompose(b, v)
          : v;
    // defineProperty, not assignment: a key named __proto__ must stay a key.
    Object.defineProperty(out, k, { value, writable: true, enumerable: true, configurable: true });
  }
  return out;
}

function isPlain(v: ComposeValue | undefined): v is { [k: string]: ComposeValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: ComposeValue | undefined): Record<string, ComposeValue> {
  return isPlain(v) ? v : {};
}
