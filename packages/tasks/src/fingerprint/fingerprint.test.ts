import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeFingerprint } from './fingerprint.ts';
import { emptyHashCache, RACY_MS } from './hash-files.ts';

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fingerprint-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const spec = (dir: string, values: Record<string, string> = {}) => ({ dir, sources: ['src/**/*.txt'], generates: [], values });
/** The fingerprint from the content alone: a fresh hash cache and no stat digest. */
const fromContent = (dir: string, values?: Record<string, string>) => computeFingerprint(spec(dir, values), () => emptyHashCache()).fingerprint;
/** Files whose ctime is older than the racy window, as between two real runs (ctime cannot be set: move the clock). */
const later = () => vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10 * RACY_MS });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the stat digest', () => {
  it('answers an unchanged repo from the stats alone: no hash cache, no file read', () => {
    const dir = repo({ 'src/a.txt': 'a', 'src/deep/b.txt': 'b', 'notes.md': 'not a source' });
    later();
    const first = computeFingerprint(spec(dir), () => emptyHashCache());
    expect(first.stamps.trusted).toBe(true);
    const cache = vi.fn(() => emptyHashCache());
    const again = computeFingerprint(spec(dir), cache, undefined, first.stamps);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(cache).not.toHaveBeenCalled();
    // The record is still there when asked for (to say what changed), computed then.
    expect(Object.keys(again.record().files)).toEqual(['src/a.txt', 'src/deep/b.txt']);
    expect(cache).toHaveBeenCalledTimes(1);
  });

  it('is not trusted while a file is within the racy window', () => {
    const dir = repo({ 'src/a.txt': 'a' });
    expect(computeFingerprint(spec(dir), () => emptyHashCache()).stamps.trusted).toBe(false);
  });

  it('sees an edit that keeps the size and puts the modification time back (the change time moves)', async () => {
    const dir = repo({ 'src/a.txt': 'aaaa' });
    const file = path.join(dir, 'src', 'a.txt');
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(file, old, old);
    later();
    const first = computeFingerprint(spec(dir), () => emptyHashCache());
    await sleep(20);
    writeFileSync(file, 'bbbb');
    utimesSync(file, old, old);
    const again = computeFingerprint(spec(dir), () => emptyHashCache(), undefined, first.stamps);
    expect(again.stamps.digest).not.toBe(first.stamps.digest);
    expect(again.fingerprint).toBe(fromContent(dir));
    expect(again.fingerprint).not.toBe(first.fingerprint);
  });

  it('a digest from other values or globs is not taken', () => {
    const dir = repo({ 'src/a.txt': 'a' });
    later();
    const first = computeFingerprint(spec(dir, { 'option x': '1' }), () => emptyHashCache());
    const other = computeFingerprint(spec(dir, { 'option x': '2' }), () => emptyHashCache(), undefined, first.stamps);
    expect(other.fingerprint).toBe(fromContent(dir, { 'option x': '2' }));
    expect(other.fingerprint).not.toBe(first.fingerprint);
  });

  it('always gives the fingerprint the content gives, whatever happens to the files between checks (property)', async () => {
    const name = fc.constantFrom('src/a.txt', 'src/b.txt', 'src/deep/c.txt', 'src/deep/d.md', 'other.txt');
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), name, text: fc.constantFrom('x', 'y', 'xy', '') }),
      fc.record({ kind: fc.constant('touch' as const), name }),
      fc.record({ kind: fc.constant('remove' as const), name }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 6 }), async (ops) => {
        const dir = repo({ 'src/a.txt': 'x', 'src/deep/c.txt': 'y' });
        later();
        let known = computeFingerprint(spec(dir), () => emptyHashCache()).stamps;
        for (const o of ops) {
          // Past the file system's clock tick, as two commands a person types are.
          await sleep(12);
          const file = path.join(dir, o.name);
          if (o.kind === 'write') {
            mkdirSync(path.dirname(file), { recursive: true });
            writeFileSync(file, o.text);
          } else if (o.kind === 'touch') {
            const t = Date.now() / 1000;
            try {
              utimesSync(file, t, t);
            } catch {
              // Not there: nothing to touch.
            }
          } else rmSync(file, { force: true });
          const now = computeFingerprint(spec(dir), () => emptyHashCache(), undefined, known);
          expect(now.fingerprint).toBe(fromContent(dir));
          known = now.stamps;
        }
        vi.useRealTimers();
      }),
      { numRuns: 40 },
    );
  });
});

describe('inputs that cannot be read', () => {
  it('leaves out a looping link with a warning, and names a file whose name is not UTF-8 (the task then runs)', () => {
    const dir = repo({ 'src/a.txt': 'a' });
    symlinkSync('loop.txt', path.join(dir, 'src', 'loop.txt'));
    const warnings: string[] = [];
    const first = computeFingerprint(
      spec(dir),
      () => emptyHashCache(),
      undefined,
      undefined,
      (w) => warnings.push(w),
    );
    expect(first.record().files).toEqual({ 'src/a.txt': expect.any(String) });
    expect(warnings).toEqual([expect.stringContaining('src/loop.txt cannot be read (ELOOP')]);
    expect(first.undecodable).toEqual([]);
    writeFileSync(Buffer.concat([Buffer.from(path.join(dir, 'src', 'odd')), Buffer.from([0xff]), Buffer.from('.txt')]), 'x');
    expect(computeFingerprint(spec(dir), () => emptyHashCache()).undecodable).toEqual(['src/odd\\xff.txt']);
  });
});
