import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TaskError } from '../errors.ts';
import { checkOutFile, writeOutFile } from './out-file.ts';

const temp = () => realpathSync(mkdtempSync(path.join(tmpdir(), 'out-file-')));

describe('--out files', () => {
  it('writes a new file or replaces a regular one, leaving no temp file', () => {
    const dir = temp();
    writeOutFile(path.join(dir, 'a.json'), 'one');
    writeOutFile(path.join(dir, 'a.json'), 'two');
    expect(readFileSync(path.join(dir, 'a.json'), 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('refuses a device file, a FIFO, a symlink and a folder, naming the path and the fix, and leaves them as they were', () => {
    const dir = temp();
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const link = path.join(dir, 'link');
    writeFileSync(path.join(dir, 'target'), 'kept');
    symlinkSync(path.join(dir, 'target'), link);
    const cases: [string, string][] = [
      ['/dev/null', 'a device file'],
      [fifo, 'a FIFO'],
      [link, 'a symbolic link'],
      [dir, 'a folder'],
    ];
    for (const [file, kind] of cases) {
      const before = lstatSync(file);
      let error: unknown;
      try {
        writeOutFile(file, 'sbom');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TaskError);
      expect((error as TaskError).exitCode).toBe(2);
      expect((error as TaskError).message).toBe(
        `--out ${file} is ${kind}, and writing there would replace it. Fix: pass the path of a regular file (a new one is fine), or --out - to print on stdout.`,
      );
      expect(lstatSync(file).ino).toBe(before.ino);
      expect(() => checkOutFile(file)).toThrow(TaskError);
    }
    expect(readFileSync(path.join(dir, 'target'), 'utf8')).toBe('kept');
    expect(readdirSync(dir).sort()).toEqual(['fifo', 'link', 'target']);
  });
});
