/**
 * Reads a key named by a `*_FILE` variable without trusting the path: a key is small, so the size is checked with
 * fstat before reading and the read stops past the cap (files in /proc report size 0); a system file (/etc/shadow,
 * /proc/self/environ, a device), or a symlink to one, is refused, because compose would mount it into the container;
 * a FIFO is never waited on. Run time only (env-check's step).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** A key file holds one key: 64 KiB is far more than any API key, and far less than what hurts to read. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Folders of the operating system, not of a project: a key file there is a mistake or an attack. */
const SYSTEM_DIRS = ['/etc', '/proc', '/sys', '/dev', '/boot', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/var/lib', '/var/log'];

export type KeyFile = { ok: true; text: string } | { ok: false; message: string; fix: 'own-file' | 'readable' | 'create' };

export function readKeyFile(file: string): KeyFile {
  let real: string;
  try {
    real = realpathSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: 'but there is no such file', fix: 'create' };
    return { ok: false, message: `which cannot be read (${code ?? 'error'})`, fix: 'readable' };
  }
  const via = lstatSync(file).isSymbolicLink() ? ` (a link to ${real})` : '';
  if (SYSTEM_DIRS.some((d) => real === d || real.startsWith(`${d}${path.sep}`))) {
    return {
      ok: false,
      message: `${via ? `${via.slice(2, -1)}, ` : ''}a system file, not a key file: compose would mount it into the container`,
      fix: 'own-file',
    };
  }
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    return { ok: false, message: `which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, fix: 'readable' };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, message: `${via ? `${via.slice(2, -1)}, ` : ''}which is not a regular file`, fix: 'own-file' };
    const tooBig = { ok: false, message: `which is larger than a key file can be (over ${MAX_KEY_FILE_BYTES / 1024} KiB)${via}`, fix: 'own-file' } as const;
    if (st.size > MAX_KEY_FILE_BYTES) return tooBig;
    const buf = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    let n = 0;
    for (let got = 1; got > 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_KEY_FILE_BYTES) return tooBig;
    return { ok: true, text: buf.toString('utf8', 0, n) };
  } catch (error) {
    return { ok: false, message: `which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, fix: 'readable' };
  } finally {
    closeSync(fd);
  }
}
