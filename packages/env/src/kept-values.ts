/**
 * The values kept while the files are read, by name: the schema's keys, and the names some `$` refers to until the
 * last reference has been read (or every name, for good, when there is no schema). Kept as positions in the texts
 * plus arrays rather than a Map of small objects: a generated file can define a hundred thousand referenced keys,
 * and each object would outlive many collections.
 */
import type { Source } from './dotenv/interpolate.ts';
import type { EnvEntry } from './dotenv/parse.ts';
import { NameTable } from './text/name-table.ts';

/** A kept value: which file (by number) and line set it, and the secret it is or was built from. */
export interface Kept extends Source {
  file: number;
  line: number;
}

/** What `set` reads of an entry (an EnvEntry): its key's place in the text, its value and line. */
export type KeptEntry = Pick<EnvEntry, 'key' | 'keyAt' | 'value' | 'secret' | 'line'>;

export class KeptValues {
  private readonly names: NameTable;
  private readonly keepAll: boolean;
  private readonly values: (string | undefined)[];
  private readonly secrets: (string | undefined)[];
  private readonly files: number[];
  private readonly lines: number[];
  /** For a key set again in a later file: its value from the earlier files, which compose looks up first. */
  private readonly prior = new Map<number, Kept>();
  /** Kept referenced names, by the position of their last reference, to drop once the reading has passed it. */
  private readonly expiry = new MinHeap();

  /**
   * Keeps the names in `names` (from referencedNames: each with the position of its last reference, texts counted
   * one after the other); with no table, keeps every name set, for good.
   */
  constructor(names?: NameTable) {
    this.keepAll = names === undefined;
    this.names = names ?? new NameTable();
    // Filled, not `new Array(n)`: a large holey array would fall back to slow dictionary elements.
    const n = this.names.size;
    this.values = new Array(n).fill(undefined);
    this.secrets = new Array(n).fill(undefined);
    this.files = new Array(n).fill(0);
    this.lines = new Array(n).fill(0);
  }

  /** A text whose keys `set` will name by position. */
  source(text: string): number {
    return this.names.source(text);
  }

  /**
   * Keeps the value `e` sets (an entry of text `source`, in file `file`) if its key is kept and still referenced after
   * `at` (the statement's position, texts counted one after the other); first drops what no later text refers to.
   * `h` is the key's hashOf, computed once by the caller for every table that looks the key up.
   */
  set(source: number, e: KeptEntry, at: number, file: number, h: number): void {
    this.expire(at);
    const from = e.keyAt;
    const to = from + e.key.length;
    const x = this.keepAll ? this.names.add(source, from, to, Number.POSITIVE_INFINITY, h) : this.names.find(this.names.text(source), from, to, h);
    if (x < 0) return;
    const last = this.names.value(x);
    if (last < at) return;
    const had = this.values[x] !== undefined;
    if (last !== Number.POSITIVE_INFINITY && !had) this.expiry.push(last, x);
    // The value the earlier files left, which compose looks up first (see `before`), is only built when it is kept.
    if (had && (this.files[x] as number) < file) this.prior.set(x, this.get(x) as Kept);
    else if (!had || (this.files[x] as number) > file) this.prior.delete(x);
    this.values[x] = e.value;
    this.secrets[x] = e.secret;
    this.files[x] = file;
    this.lines[x] = e.line;
  }

  /** Forgets the values whose last reference lies before `at`. */
  private expire(at: number): void {
    while (this.expiry.size > 0 && this.expiry.min() < at) {
      const e = this.expiry.pop();
      this.values[e] = undefined;
      this.secrets[e] = undefined;
      this.prior.delete(e);
    }
  }

  /** The value of `name` as the files before file `f` left it (compose looks there before earlier lines of `f`). */
  before(name: string, f: number): Kept | undefined {
    const e = this.names.find(name);
    if (e < 0) return undefined;
    const v = this.get(e);
    return v && v.file < f ? v : this.prior.get(e);
  }

  /** `before(name, f)`, or else the latest value of `name`: what a `$name` in file `f` finds, with one search. */
  visible(name: string, f: number): Kept | undefined {
    const e = this.names.find(name);
    if (e < 0) return undefined;
    const v = this.get(e);
    return v && v.file < f ? v : (this.prior.get(e) ?? v);
  }

  /** The latest value of `name`. */
  latest(name: string): Kept | undefined {
    const e = this.names.find(name);
    return e < 0 ? undefined : this.get(e);
  }

  /** Every kept name that has a value, with it. */
  *entries(): Generator<[string, Kept]> {
    for (let e = 0; e < this.values.length; e++) {
      const v = this.get(e);
      if (v) yield [this.names.name(e), v];
    }
  }

  private get(e: number): Kept | undefined {
    const value = this.values[e];
    if (value === undefined) return undefined;
    return { value, secret: this.secrets[e], file: this.files[e] as number, line: this.lines[e] as number };
  }
}

/** A binary min-heap of (key, entry) pairs, on two arrays. */
class MinHeap {
  private readonly keys: number[] = [];
  private readonly items: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  min(): number {
    return this.keys[0] as number;
  }

  push(key: number, item: number): void {
    let i = this.keys.length;
    this.keys.push(key);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.keys[parent] as number) <= key) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): number {
    const top = this.items[0] as number;
    const lastKey = this.keys.pop() as number;
    const lastItem = this.items.pop() as number;
    if (this.keys.length > 0) {
      this.keys[0] = lastKey;
      this.items[0] = lastItem;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.keys.length && (this.keys[l] as number) < (this.keys[m] as number)) m = l;
        if (r < this.keys.length && (this.keys[r] as number) < (this.keys[m] as number)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b] as number, this.keys[a] as number];
    [this.items[a], this.items[b]] = [this.items[b] as number, this.items[a] as number];
  }
}
