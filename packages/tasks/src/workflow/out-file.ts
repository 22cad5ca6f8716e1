/**
 * Writing a report (`--out FILE`) through a temp file and a rename replaces whatever the path names: a device file
 * (as root, `--out /dev/null` would replace the system's /dev/null), a FIFO, a symlink. So the path must be a regular
 * file or not exist yet; it is checked before the work starts and again just before the rename.
 */
import { closeSync, lstatSync, openSync, renameSync, rmSync, type Stats, writeSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, ExitCode, TaskError } from '../errors.ts';

function kind(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device file';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Throws when `file` exists and is anything but a regular file. */
export function checkOutFile(file: string, flag = '--out'): void {
  const st = lstatSync(file, { throwIfNoEntry: false });
  if (!st || st.isFile()) return;
  throw new TaskError(
    ErrorCode.badFlag,
    `${flag} ${file} is ${kind(st)}, and writing there would replace it. Fix: pass the path of a regular file (a new one is fine), or ${flag} - to print on stdout.`,
    { exitCode: ExitCode.usage },
  );
}

/** Writes `text` to `file` atomically (a new temp file beside it, then a rename), after checking the path again. */
export function writeOutFile(file: string, text: string, flag = '--out'): void {
  checkOutFile(file, flag);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  // 'wx': never through a file or link that is already there.
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    checkOutFile(file, flag);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
