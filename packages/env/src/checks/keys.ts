/**
 * Two mistakes compose accepts without a word: a key set twice in one file (the last silently wins) and a key one
 * typo away from the schema's (`APP_PROT=9000` leaves APP_PORT at its default). Both become warnings with every
 * line concerned.
 */
import type { EnvEntry } from '../dotenv/parse.ts';
import type { EnvIssue } from '../errors.ts';
import type { Origin } from '../load.ts';
import { NameMatcher } from '../text/did-you-mean.ts';
import { escapeControls, showName } from '../text/escape.ts';
import { hashOf, NameTable } from '../text/name-table.ts';

type Warning = Omit<EnvIssue, 'severity'>;

/** The keys of one file as they go by: duplicates (with the line of each) and typos of the schema's keys. */
export class FileKeys {
  /** The line of each key's last assignment, by the key's place in the text (no string kept per key). */
  private readonly lines = new NameTable();
  private readonly src: string;
  private readonly source: number;
  private readonly file: string;
  private readonly matcher: NameMatcher | undefined;
  private readonly duplicates: DuplicateKeys;
  private readonly typos: [EnvEntry, readonly string[]][] = [];
  /** `matcher` knows the schema's keys (none: no typo check). */
  constructor(src: string, file: string, matcher: NameMatcher | undefined) {
    this.src = src;
    this.source = this.lines.source(src);
    this.file = file;
    this.matcher = matcher;
    this.duplicates = new DuplicateKeys(file);
  }

  /**
   * Takes an entry; `sets` is false for a bare key the shell does not set (compose changes nothing for it). `h` is
   * the key's hashOf, when the caller has it.
   */
  see(e: EnvEntry, sets: boolean, h = hashOf(this.src, e.keyAt, e.keyAt + e.key.length)): void {
    const to = e.keyAt + e.key.length;
    const at = sets ? this.lines.add(this.source, e.keyAt, to, e.line, h) : this.lines.find(this.src, e.keyAt, to, h);
    const first = sets ? this.lines.added : at < 0;
    if (first && this.matcher) {
      const targets = this.matcher.match(e.key);
      if (targets.length > 0) this.typos.push([e, targets]);
    }
    if (!sets || first) return;
    this.duplicates.repeat(at, e.key, this.lines.value(at), e.line);
    this.lines.setValue(at, e.line);
  }

  /** The warnings, once the file is read; `originOf` says where a schema key is set, if anywhere. */
  *warnings(originOf: (key: string) => Origin | undefined): Generator<() => Warning> {
    yield* this.duplicates.warnings();
    for (const [e, targets] of this.typos) yield () => nearMissWarning(this.file, e, targets, originOf);
  }
}

/** The lines of keys set more than once in one file: the first four, the last, and how many. */
export class DuplicateKeys {
  /** By the key's number in FileKeys' table: a number hashes at once, a key string read afresh from each line does not. */
  private readonly repeats = new Map<number, { key: string; first: number[]; last: number; count: number }>();
  private readonly file: string;
  constructor(file: string) {
    this.file = file;
  }

  /** Records that `key` (entry `id` of the file's key table), already set on `previousLine`, is set again on `line`. */
  repeat(id: number, key: string, previousLine: number, line: number): void {
    const r = this.repeats.get(id);
    if (!r) {
      this.repeats.set(id, { key, first: [previousLine, line], last: line, count: 2 });
      return;
    }
    if (r.first.length < 4) r.first.push(line);
    r.last = line;
    r.count++;
  }

  *warnings(): Generator<() => Warning> {
    for (const { key, first, last, count } of this.repeats.values()) {
      yield () => {
        const at = (l: number) => `${escapeControls(this.file)}:${l}`;
        const shown = count > 5 ? [...first.map(at), `${count - 4} more`] : [...first.slice(0, count - 1), last].map(at);
        const name = showName(key);
        return {
          key,
          file: this.file,
          line: last,
          message: `${name} is set ${count} times in ${escapeControls(this.file)}: at ${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}; compose uses the last one (${at(last)})`,
          fix: `keep one ${name} line, the one with the value you mean, and delete the others`,
        };
      };
    }
  }
}

/** The warning for a key that is a typo of schema keys; `originOf` says where each of those is set, if anywhere. */
export function nearMissWarning(file: string, e: EnvEntry, targets: readonly string[], originOf: (key: string) => Origin | undefined): Warning {
  const name = showName(e.key);
  const set = targets.flatMap((t) => {
    const o = originOf(t);
    return o?.kind === 'file' ? [`${t} itself is set at ${escapeControls(o.file)}:${o.line}`] : [];
  });
  return {
    key: e.key,
    file,
    line: e.line,
    message: `${name} is not a variable of the schema: did you mean ${targets.join(' or ')}?${set.length > 0 ? ` (${set.join('; ')})` : ''}`,
    fix: `rename ${name} to ${targets[0]} at ${escapeControls(file)}:${e.line}, or delete the line if no tool reads ${name}`,
  };
}

/** True when `name` is a schema secret or a typo of one (and not another schema key): a value meant for a secret is one. */
export function secretNames(secretKeys: readonly string[], specKeys: readonly string[]): (name: string) => boolean {
  const secret = new Set(secretKeys);
  const known = new Set(specKeys);
  const matcher = new NameMatcher(secretKeys);
  // Asked for every key of every file: most keys are too short or too long to be a secret's name or a typo of one.
  return (name) => matcher.mayMatch(name.length) && (secret.has(name) || (!known.has(name) && matcher.match(name).length > 0));
}
