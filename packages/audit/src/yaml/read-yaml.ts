/**
 * The one YAML reader of the repo: every compose or config YAML goes through it. It bounds the document size, the
 * nesting depth and the size the document expands to through anchors, aliases and merge keys (`<<: *x`), and turns
 * the syntax tree into plain data itself, so that:
 * - an alias bomb (nested anchors, 439 bytes → gigabytes) or a merge-key bomb is rejected after reading at most
 *   `maxNodes` values, in milliseconds, with a problem naming the file, the line and the fix;
 * - the `yaml` package's own alias resolution is never used: measured on yaml 2.9, its `maxAliasCount` check walks
 *   the whole document once per alias (24 KB of aliases: 11.6 s) and re-converts merge sources each time, and at
 *   its default of 100 it rejects an ordinary file where 200 services share one `<<: *defaults`;
 * - duplicate keys are found in one pass (the package's `uniqueKeys` check is quadratic: 8,000 keys, 2 s).
 * Every value keeps the line and column it was written at (see `locate` and `positionOf`).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, Scalar } from 'yaml';

export interface YamlLimits {
  /** Largest document read, in bytes (compose files in the wild stay far below 128 KiB; parsing 256 KiB of YAML can take 1.5 s here). */
  maxBytes: number;
  /** Most values the document may expand to, aliases and merge keys counted in full. */
  maxNodes: number;
  /** Deepest nesting of mappings and sequences. */
  maxDepth: number;
}

export const YAML_LIMITS: Readonly<YamlLimits> = { maxBytes: 128 * 1024, maxNodes: 100_000, maxDepth: 64 };

export interface Position {
  line: number;
  col: number;
  /** For a mapping key: where its value starts (a block value starts on a later line). */
  value?: { line: number; col: number };
}

export interface YamlProblem extends Position {
  file: string;
  /** `syntax`: not YAML; `duplicate`: a key set twice; `limit`: too big or expands too far (an alias bomb). */
  kind: 'syntax' | 'duplicate' | 'limit';
  message: string;
  fix: string;
}

export interface YamlRead {
  file: string;
  /** The document as plain data (anchors and merge keys resolved), or undefined when there are problems. */
  data: unknown;
  problems: YamlProblem[];
  /** Where the deepest key of a path was written, and how many segments of the path it covers. */
  locate(path: readonly string[]): (Position & { depth: number }) | undefined;
}

/** Where each key or item of a mapping or sequence was written (shared by aliases, copied by merge keys). */
const POSITIONS = new WeakMap<object, Map<string, Position>>();
/** The expanded size of each collection read, so an alias costs what it expands to. */
const SIZES = new WeakMap<object, number>();

/** The position of `key` (or item index) inside a collection read by readYaml. */
export function positionOf(container: unknown, key: string): Position | undefined {
  return container !== null && typeof container === 'object' ? POSITIONS.get(container)?.get(key) : undefined;
}

/** Records where a key of a collection derived from read data came from (a list turned into a map, say). */
export function setPosition(container: object, key: string, pos: Position | undefined): void {
  if (!pos) return;
  const map = POSITIONS.get(container) ?? new Map<string, Position>();
  map.set(key, pos);
  POSITIONS.set(container, map);
}

class Stop extends Error {
  readonly problem: Omit<YamlProblem, 'file'>;
  constructor(problem: Omit<YamlProblem, 'file'>) {
    super(problem.message);
    this.problem = problem;
  }
}

const LIMIT_FIX =
  'Write the settings out instead of nesting anchors (a file that expands this far is almost always an attack, a "billion laughs" alias bomb); if the file is genuine, split it into an override file.';

/** Reads one YAML document. Never throws on its content: every problem is returned with file:line:col and a fix. */
export function readYaml(text: string, file: string, limits: Partial<YamlLimits> = {}): YamlRead {
  const max = { ...YAML_LIMITS, ...limits };
  const none: YamlRead = { file, data: undefined, problems: [], locate: () => undefined };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > max.maxBytes) {
    const message = `the file is ${Math.ceil(bytes / 1024)} KiB; YAML files larger than ${max.maxBytes / 1024} KiB are not read`;
    return { ...none, problems: [{ file, line: 1, col: 1, kind: 'limit', message, fix: 'Split it into a base file and override files.' }] };
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, merge: false, uniqueKeys: false, prettyErrors: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      file,
      line: e.linePos?.[0].line ?? 1,
      col: e.linePos?.[0].col ?? 1,
      kind: 'syntax' as const,
      message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
      fix: "Fix the YAML at that line (indentation and the ':' after each key are the usual suspects).",
    }));
    return { ...none, problems };
  }
  const pos = (node: { range?: readonly number[] | null } | null | undefined): { line: number; col: number } => {
    const at = node?.range ? lc.linePos(node.range[0] as number) : { line: 1, col: 1 };
    return { line: at.line, col: at.col };
  };
  const problems: YamlProblem[] = [];
  let spent = 0;
  const spend = (n: number, node: Node | null | undefined) => {
    spent += n;
    if (spent > max.maxNodes)
      throw new Stop({
        ...pos(node),
        kind: 'limit',
        message: `anchors, aliases and merge keys expand the document past ${max.maxNodes.toLocaleString('en')} values`,
        fix: LIMIT_FIX,
      });
  };
  const anchors = new Map<string, unknown>();
  const sizeOf = (v: unknown) => (v !== null && typeof v === 'object' ? (SIZES.get(v) ?? 1) : 1);

  const convert = (node: unknown, depth: number): unknown => {
    if (depth > max.maxDepth)
      throw new Stop({
        ...pos(node as Node),
        kind: 'limit',
        message: `the document nests deeper than ${max.maxDepth} levels`,
        fix: 'Flatten it: compose and config files never nest this deep.',
      });
    let value: unknown;
    if (node === null || node === undefined) {
      spend(1, null);
      return null;
    }
    if (isAlias(node)) {
      if (!anchors.has(node.source))
        throw new Stop({
          ...pos(node),
          kind: 'syntax',
          message: `the alias *${node.source} names no anchor defined before it`,
          fix: `Define &${node.source} before using *${node.source}.`,
        });
      value = anchors.get(node.source);
      spend(sizeOf(value), node);
      return value;
    }
    if (isScalar(node)) {
      spend(1, node);
      value = typeof node.value === 'symbol' ? String(node.value.description) : node.value;
    } else if (isSeq(node)) {
      spend(1, node);
      const arr: unknown[] = [];
      let size = 1;
      node.items.forEach((item, i) => {
        const v = convert(item, depth + 1);
        arr.push(v);
        size += sizeOf(v);
        setPosition(arr, String(i), pos(item as Node));
      });
      SIZES.set(arr, size);
      value = arr;
    } else if (isMap(node)) {
      spend(1, node);
      value = convertMap(node.items, depth);
    } else {
      spend(1, node as Node);
      value = null;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, value);
    return value;
  };

  const convertMap = (items: readonly unknown[], depth: number): Record<string, unknown> => {
    const obj: Record<string, unknown> = {};
    let size = 1;
    const merges: { source: unknown; node: Node }[] = [];
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && keyNode.type === Scalar.PLAIN && keyNode.value === '<<') {
        const v = convert(pair.value, depth + 1);
        for (const source of Array.isArray(v) && isSeq(pair.value) ? v : [v]) merges.push({ source, node: (pair.value ?? keyNode) as Node });
        continue;
      }
      const rawKey = convert(keyNode, depth + 1);
      const key = rawKey !== null && typeof rawKey === 'object' ? JSON.stringify(rawKey) : String(rawKey ?? '');
      const at: Position = { ...pos(keyNode ?? (pair.value as Node)), value: pos(pair.value as Node) };
      if (Object.hasOwn(obj, key)) {
        const first = positionOf(obj, key);
        problems.push({
          file,
          ...at,
          kind: 'duplicate',
          message: `keys must be unique: "${key}" is set twice (first at line ${first?.line})`,
          fix: 'Keep one of the two (compose v2 rejects the file; v1 silently keeps the last).',
        });
      }
      const v = convert(pair.value, depth + 1);
      Object.defineProperty(obj, key, { value: v, writable: true, enumerable: true, configurable: true });
      setPosition(obj, key, at);
      size += sizeOf(v);
    }
    // Merge keys (YAML 1.1, as compose reads them): keys set in the mapping win, then earlier sources over later ones.
    for (const { source, node } of merges) {
      if (source === null || typeof source !== 'object' || Array.isArray(source))
        throw new Stop({ ...pos(node), kind: 'syntax', message: 'a merge key (<<) must name a mapping or a list of mappings', fix: 'Merge only mappings.' });
      for (const [k, v] of Object.entries(source)) {
        if (Object.hasOwn(obj, k)) continue;
        spend(sizeOf(v), node);
        Object.defineProperty(obj, k, { value: v, writable: true, enumerable: true, configurable: true });
        setPosition(obj, k, positionOf(source, k));
        size += sizeOf(v);
      }
    }
    SIZES.set(obj, size);
    return obj;
  };

  let data: unknown;
  try {
    data = convert(doc.contents, 0);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { ...none, problems: [{ file, ...error.problem }] };
  }
  if (problems.length > 0) return { ...none, problems };
  return {
    file,
    data,
    problems: [],
    locate(path) {
      let found: (Position & { depth: number }) | undefined;
      let here: unknown = data;
      for (let i = 0; i < path.length; i++) {
        const key = path[i] as string;
        const at = positionOf(here, key);
        if (!at || here === null || typeof here !== 'object') break;
        found = { ...at, depth: i + 1 };
        here = (here as Record<string, unknown>)[key];
      }
      return found;
    },
  };
}

/** One line per problem, `file:line:col: message. fix`, for an error paragraph. */
export function describeYamlProblems(problems: readonly YamlProblem[]): string {
  return problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}. ${p.fix}`).join('; ');
}
