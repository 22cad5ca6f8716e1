/**
 * Atomic file writes: the new bytes go to a temp file in the same folder, are flushed, then renamed over the target,
 * so a crash leaves either the old file or the new one, never a torn one.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { checkpoint } from './checkpoint.ts';

/** The temp file a write goes through; a crash can leave it behind, and rollback removes it. */
export function tempFileOf(file: string, pid = process.pid): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${pid}.tmp`);
}

export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): void {
  const tmp = tempFileOf(file);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  checkpoint(`wrote a temp file for ${path.basename(file)}`);
  renameSync(tmp, file);
  fsyncDir(path.dirname(file));
  checkpoint(`renamed it over ${path.basename(file)}`);
}

/** Makes a rename durable: the folder entry itself is flushed. */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    fsyncSync(fd);
    closeSync(fd);
  } catch {
    // Not every filesystem lets a folder be opened for fsync; the rename is still atomic.
  }
}
