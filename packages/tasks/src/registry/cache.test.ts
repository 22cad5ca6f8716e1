import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheRoot, MAX_COMPILE, MAX_REMOVALS, projectKey, prune, readOwned, writeOwned } from './cache.cjs';

const temp = () => mkdtempSync(path.join(tmpdir(), 'cache-unit-'));

describe('the per-user cache', () => {
  it('is $XDG_CACHE_HOME/promtior-tasks (else ~/.cache), made mode 0700', () => {
    const xdg = temp();
    expect(cacheRoot({ XDG_CACHE_HOME: xdg, HOME: '/nowhere' })).toBe(path.join(xdg, 'promtior-tasks'));
    expect(statSync(path.join(xdg, 'promtior-tasks')).mode & 0o777).toBe(0o700);
    const home = temp();
    // A relative XDG_CACHE_HOME is invalid (XDG spec): ignored.
    expect(cacheRoot({ XDG_CACHE_HOME: 'rel', HOME: home })).toBe(path.join(home, '.cache', 'promtior-tasks'));
  });

  it('replaces a folder that others can write to, or that is not ours, or is a symlink; and says so when it cannot', () => {
    for (const spoil of [(d: string) => chmodSync(d, 0o777), (d: string) => chownSync(d, 65534, 65534)]) {
      const xdg = temp();
      const dir = path.join(xdg, 'promtior-tasks');
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'planted'), 'x');
      spoil(dir);
      expect(cacheRoot({ XDG_CACHE_HOME: xdg })).toBe(dir);
      expect(existsSync(path.join(dir, 'planted'))).toBe(false);
      expect(statSync(dir).uid).toBe(process.getuid?.());
    }
    const xdg = temp();
    symlinkSync(temp(), path.join(xdg, 'promtior-tasks'));
    expect(cacheRoot({ XDG_CACHE_HOME: xdg })).toBe(path.join(xdg, 'promtior-tasks'));
    expect(statSync(path.join(xdg, 'promtior-tasks')).isDirectory()).toBe(true);
  });

  it('a home folder this user may not enter gives the fallback folder, not a crash', () => {
    const locked = temp();
    chmodSync(locked, 0o000);
    // Root enters anything: without the capabilities that allow it, the folder's mode decides, as for any user.
    const drop =
      process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-dac_override,-dac_read_search', '--'] : [];
    const script = `process.stdout.write(String(require(${JSON.stringify(path.join(import.meta.dirname, 'cache.cjs'))}).cacheRoot({ HOME: ${JSON.stringify(path.join(locked, 'home'))} })))`;
    const argv = [...drop, process.execPath, '-e', script];
    const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
    chmodSync(locked, 0o700);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(path.join(tmpdir(), `promtior-tasks-${process.getuid?.()}`));
  });

  it('reads only regular files of ours that nobody else can write, and removes the others', () => {
    const dir = temp();
    const file = path.join(dir, 'f');
    expect(writeOwned(file, 'ok')).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readOwned(file)).toBe('ok');
    chmodSync(file, 0o666);
    expect(readOwned(file)).toBeUndefined();
    expect(existsSync(file)).toBe(false);
    writeFileSync(file, 'theirs', { mode: 0o600 });
    chownSync(file, 65534, 65534);
    expect(readOwned(file)).toBeUndefined();
    symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'link'));
    expect(readOwned(path.join(dir, 'link'))).toBeUndefined();
    // A file bigger than any we write is not read (a planted 600 MB one did not fit in a string), and goes.
    const huge = path.join(dir, 'huge');
    writeFileSync(huge, '{}', { mode: 0o600 });
    truncateSync(huge, 17 * 1024 * 1024);
    expect(readOwned(huge)).toBeUndefined();
    expect(existsSync(huge)).toBe(false);
  });

  it('names a folder by its path with / and % escaped, within a file name', () => {
    expect(projectKey('/a/b%c')).toBe('%2Fa%2Fb%25c');
    expect(projectKey(`/${'x'.repeat(300)}`)).toBeUndefined();
    expect(projectKey('/a\tb')).toBeUndefined();
  });

  it("keeps Node's compile cache in bounds: an old Node's folder goes, a crowded one keeps its most recently used entries", () => {
    const root = cacheRoot({ XDG_CACHE_HOME: temp() }) as string;
    const day = 24 * 3600 * 1000;
    const now = Date.now();
    const at = (p: string, ms: number) => utimesSync(p, ms / 1000, ms / 1000);
    // A folder of a Node not run for 8 days, and one run 2 days ago: the first goes, the second stays as it is.
    const old = path.join(root, 'compile', 'v24.21.0-x64-aaaa-0');
    const recent = path.join(root, 'compile', 'v24.22.3-x64-aaaa-0');
    for (const [dir, age] of [
      [old, 8 * day],
      [recent, 2 * day],
    ] as const) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'entry'), 'x');
      at(path.join(dir, 'entry'), now - age);
      at(dir, now - age);
    }
    // A crowded folder: entry i was last used i seconds ago.
    const crowded = path.join(root, 'compile', 'v24.22.3-x64-bbbb-0');
    mkdirSync(crowded, { recursive: true });
    const count = MAX_COMPILE + 1;
    for (let i = 0; i < count; i++) {
      const file = path.join(crowded, String(i).padStart(5, '0'));
      writeFileSync(file, '');
      at(file, now - i * 1000);
    }
    // One run removes at most MAX_REMOVALS entries, the oldest first (the old Node's entry is the oldest of all); the
    // crowded folder loses its oldest.
    prune(root, now);
    expect(existsSync(old)).toBe(false);
    expect(readdirSync(recent)).toEqual(['entry']);
    const kept = readdirSync(crowded).sort();
    expect(kept).toHaveLength(count - (MAX_REMOVALS - 1));
    expect(kept[0]).toBe('00000');
    expect(kept.at(-1)).toBe(String(count - MAX_REMOVALS).padStart(5, '0'));
    // Back within bounds, the next run removes nothing.
    prune(root, now);
    expect(readdirSync(crowded)).toHaveLength(kept.length);
  });
});
