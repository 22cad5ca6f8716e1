import { release, resized } from '../release-memory.ts';
import { work } from '../work.ts';

/**
 * A hash table of names that are pieces of texts already in memory (the keys of a .env file), stored as positions in
 * those texts. A generated file can hold a million keys: a Map of them would keep a million small strings alive and
 * keep the garbage collector busy; this keeps four numbers per name in typed arrays.
 */
export class NameTable {
  private readonly texts: string[] = [];
  /** Entry index + 1 per bucket; 0 is empty. */
  private buckets = new Int32Array(1024);
  private hashes = new Int32Array(512);
  private sourceOf = new Int32Array(512);
  private start = new Int32Array(512);
  private length = new Int32Array(512);
  /** A number per name (a line, a position in the texts: Float64 holds any of them exactly). */
  private values = new Float64Array(512);
  size = 0;

  /** Registers a text that names will be pieces of; returns its number for `add`. */
  source(text: string): number {
    this.texts.push(text);
    return this.texts.length - 1;
  }

  /** The entry of `s[from, to)`, or -1; `h` is that text's hashOf when the caller has it already. */
  find(s: string, from = 0, to = s.length, h = hashOf(s, from, to)): number {
    const mask = this.buckets.length - 1;
    for (let b = h & mask; ; b = (b + 1) & mask) {
      work.steps++;
      const e = (this.buckets[b] as number) - 1;
      if (e < 0) return -1;
      if (this.hashes[e] === h && this.equals(e, s, from, to)) return e;
    }
  }

  /** Whether the last `add` added a new name (rather than finding it). */
  added = false;

  /**
   * The entry of `texts[source][from, to)`, added with `value` if it is new (then `added` is true). The text is
   * hashed once, for the search and the new entry both; `h` is its hashOf when the caller has it already.
   */
  add(source: number, from: number, to: number, value: number, h = hashOf(this.texts[source] as string, from, to)): number {
    const found = this.find(this.texts[source] as string, from, to, h);
    this.added = found < 0;
    if (found >= 0) return found;
    if (this.size >= this.hashes.length) this.grow();
    const e = this.size++;
    this.hashes[e] = h;
    this.sourceOf[e] = source;
    this.start[e] = from;
    this.length[e] = to - from;
    this.values[e] = value;
    this.place(e);
    return e;
  }

  /** The text registered as `source`. */
  text(source: number): string {
    return this.texts[source] as string;
  }

  /** The name of an entry, as a string. */
  name(entry: number): string {
    const at = this.start[entry] as number;
    return (this.texts[this.sourceOf[entry] as number] as string).slice(at, at + (this.length[entry] as number));
  }

  value(entry: number): number {
    return this.values[entry] as number;
  }

  setValue(entry: number, value: number): void {
    this.values[entry] = value;
  }

  private equals(e: number, s: string, from: number, to: number): boolean {
    const n = this.length[e] as number;
    if (n !== to - from) return false;
    const t = this.texts[this.sourceOf[e] as number] as string;
    const at = this.start[e] as number;
    work.steps += n;
    for (let i = 0; i < n; i++) if (t.charCodeAt(at + i) !== s.charCodeAt(from + i)) return false;
    return true;
  }

  private place(e: number): void {
    const mask = this.buckets.length - 1;
    let b = (this.hashes[e] as number) & mask;
    while (this.buckets[b] !== 0) b = (b + 1) & mask;
    this.buckets[b] = e + 1;
  }

  /** Doubles the table, handing the old arrays' memory back at once (see release-memory.ts). */
  private grow(): void {
    const n = this.hashes.length * 2;
    this.hashes = resized(this.hashes, n);
    this.sourceOf = resized(this.sourceOf, n);
    this.start = resized(this.start, n);
    this.length = resized(this.length, n);
    this.values = resized(this.values, n);
    release(this.buckets);
    this.buckets = new Int32Array(n * 2);
    for (let e = 0; e < this.size; e++) this.place(e);
  }
}

/**
 * FNV-1a over UTF-16 code units of `s[from, to)`, from a random start per process: like V8's own seeded string hash,
 * so a crafted file of colliding keys cannot turn every lookup into a scan of the table. The same in every table: a
 * caller that looks one key up in several tables hashes it once.
 */
export function hashOf(s: string, from: number, to: number): number {
  work.steps += to - from;
  let h = SEED;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  // 30 bits: a small integer to V8 (31 bits with pointer compression), never a heap number when passed around.
  return h & 0x3fffffff;
}

const SEED = (0x811c9dc5 ^ Math.floor(Math.random() * 0x100000000)) | 0;
