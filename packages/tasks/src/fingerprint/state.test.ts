import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openState } from './state.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'state-'));
  dirs.push(dir);
  return dir;
}

const SALT = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const record = { fingerprint: 'f1', files: { 'src/a': 'h' }, generates: { 'out/x': 'EVIL' }, values: {} };

describe('the state', () => {
  it('is bound to its user: a state copied into a clone (another salt) is no record', () => {
    const dir = repo();
    const mine = openState(dir, () => {}, { salt: SALT });
    mine.saveRecord('gen', record);
    mine.saveStamps('gen', { digest: 'd', fingerprint: 'f1' });
    expect(openState(dir, () => {}, { salt: SALT }).fingerprint('gen')).toBe('f1');
    expect(openState(dir, () => {}, { salt: SALT }).record('gen')).toEqual(record);
    // What a `git clone` of a repo that committed .task gives another user: the same files, their own salt.
    const clone = repo();
    cpSync(path.join(dir, '.task'), path.join(clone, '.task'), { recursive: true });
    const theirs = openState(clone, () => {}, { salt: OTHER });
    expect(theirs.fingerprint('gen')).toBeUndefined();
    expect(theirs.stamps('gen')).toBeUndefined();
    expect(theirs.record('gen')).toBeUndefined();
    // Nor is it the same user's in another folder (a clone of a repo that committed its state).
    expect(openState(clone, () => {}, { salt: SALT }).fingerprint('gen')).toBeUndefined();
  });

  it('takes a record of the wrong shape for none', () => {
    const dir = repo();
    const state = openState(dir, () => {}, { salt: SALT });
    state.saveRecord('gen', record);
    const file = path.join(dir, '.task', 'tasks', 'gen.json');
    const bound = (JSON.parse(readFileSync(file, 'utf8')) as { salt: string }).salt;
    for (const data of [{ ...record, generates: 5 }, { ...record, files: { a: 1 } }, null, [1], 'x', { ...record, fingerprint: 3 }]) {
      writeFileSync(file, JSON.stringify({ format: 'promtior-tasks state 2', salt: bound, data }), { mode: 0o600 });
      expect(openState(dir, () => {}, { salt: SALT }).record('gen')).toBeUndefined();
    }
    writeFileSync(
      path.join(dir, '.task', 'hashes.json'),
      JSON.stringify({ format: 'promtior-tasks state 2', salt: bound, data: { writtenAt: 1, entries: { '/x': null, '/y': ['s', 'h'] } } }),
      { mode: 0o600 },
    );
    expect(openState(dir, () => {}, { salt: SALT }).hashes().entries).toEqual({ '/y': ['s', 'h'] });
  });

  it('prunes the hash cache of files that are gone when it is saved', () => {
    const dir = repo();
    const kept = path.join(dir, 'kept.txt');
    writeFileSync(kept, 'k');
    const state = openState(dir, () => {}, { salt: SALT });
    const cache = state.hashes();
    cache.entries[kept] = ['s', 'h'];
    cache.entries[path.join(dir, 'gone.txt')] = ['s', 'h'];
    state.saveHashes();
    expect(Object.keys(openState(dir, () => {}, { salt: SALT }).hashes().entries)).toEqual([kept]);
  });

  it('says so, naming it, when it ignores and replaces a folder others can write to', () => {
    const dir = repo();
    openState(dir, () => {}, { salt: SALT }).saveRecord('gen', record);
    chmodSync(path.join(dir, '.task'), 0o775);
    const warnings: string[] = [];
    const state = openState(dir, (w) => warnings.push(w), { salt: SALT });
    expect(state.fingerprint('gen')).toBeUndefined();
    expect(warnings).toEqual([
      `ignoring ${path.join(dir, '.task')}: others can write to it (mode 775); a run that remembers something removes it and makes it afresh (mode 0700).`,
    ]);
    // Reading (as --status does) removed nothing.
    expect(readFileSync(path.join(dir, '.task', 'tasks', 'gen.fingerprint.json'), 'utf8')).toContain('f1');
    state.saveRecord('gen', record);
    expect(warnings).toHaveLength(1);
    expect(openState(dir, () => {}, { salt: SALT }).fingerprint('gen')).toBe('f1');
  });
});
