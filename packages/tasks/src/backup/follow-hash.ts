/**
 * Hashes a file while another process is still writing it (like `tail -f` into sha256): the hashing overlaps the
 * writing on another core instead of following it, in a 1 MiB buffer, so memory stays flat at any size.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';

export async function hashWhileWritten(file: string, writerDone: Promise<unknown>, onBytes: (n: number) => void): Promise<{ sha256: string; size: number }> {
  let finished = false;
  let failure: unknown;
  writerDone.then(
    () => {
      finished = true;
    },
    (error: unknown) => {
      finished = true;
      failure = error;
    },
  );
  while (!existsSync(file) && !finished) await new Promise((r) => setTimeout(r, 20));
  if (failure) throw failure;
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(file, 'r');
  let pos = 0;
  try {
    for (;;) {
      const done = finished; // read once more after the writer is done, to the very end
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n > 0) {
        hash.update(buf.subarray(0, n));
        pos += n;
        onBytes(pos);
        continue;
      }
      if (done) break;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    closeSync(fd);
  }
  if (failure) throw failure;
  return { sha256: hash.digest('hex'), size: pos };
}
