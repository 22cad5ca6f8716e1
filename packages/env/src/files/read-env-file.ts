/**
 * Reads one env file as text, or throws one EnvError that says what is wrong with it, where, and what to do: a
 * directory, no read permission, a broken link, binary or UTF-16 content, a file too large to be a .env. Reads up
 * to a cap, so a device or pipe named by mistake cannot exhaust memory.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, lstatSync, openSync, readlinkSync, readSync } from 'node:fs';
import { EnvError, EnvErrorCode } from '../errors.ts';
import { grouped } from '../issues.ts';
import { release } from '../release-memory.ts';
import { escapeControls } from '../text/escape.ts';

/** Far above any real .env (compose's own are a few KB), low enough to read and check in well under a second. */
export const MAX_ENV_FILE_BYTES = 32 * 1024 * 1024;

export interface EnvFileText {
  text: string;
  /** 1-based line of the first byte that is not UTF-8, if any (the text has U+FFFD there). */
  invalidUtf8Line?: number;
}

/** `shown` is the path as the user gave it; `explicit` says it came from --env-file (not the default .env). */
export function readEnvFile(absPath: string, shown: string, explicit: boolean): EnvFileText {
  const place = `${escapeControls(shown)}${shown === absPath ? '' : ` (${escapeControls(absPath)})`}`;
  let fd: number;
  try {
    fd = openSync(absPath, 'r');
  } catch (error) {
    throw openError(error as NodeJS.ErrnoException, absPath, shown, place, explicit);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw directoryError(place, shown, explicit);
    if (stat.size > MAX_ENV_FILE_BYTES) throw tooLarge(place);
    const bytes = readCapped(fd, stat.isFile() ? stat.size : 0, place);
    const text = decode(bytes);
    // The string is a copy: the bytes' memory goes now, not at a full collection (which may come after the peak).
    release(bytes);
    return text;
  } catch (error) {
    if (error instanceof EnvError) throw error;
    throw openError(error as NodeJS.ErrnoException, absPath, shown, place, explicit);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the whole file (a regular file in one buffer of its size), stopping at the cap or at the first NUL byte.
 * Every buffer is its own (allocUnsafeSlow, never Node's shared pool), so the caller may release it.
 */
function readCapped(fd: number, size: number, place: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    // One byte more than the size stat reported, to notice a file that grew; pipes and devices go by 1 MB.
    const want = size > 0 && chunks.length === 0 ? size + 1 : 1024 * 1024;
    const chunk = Buffer.allocUnsafeSlow(Math.min(want, MAX_ENV_FILE_BYTES + 1 - total));
    let n = 0;
    for (let got = -1; got !== 0 && n < chunk.length; n += got) got = readSync(fd, chunk, n, chunk.length - n, null);
    if (n === 0) break;
    const part = chunk.subarray(0, n);
    if (total === 0) utf16Check(part, place);
    const nul = part.indexOf(0);
    if (nul >= 0) throw binaryError(place, Buffer.concat([...chunks, part.subarray(0, nul)]), total + nul);
    total += n;
    chunks.push(part);
    if (total > MAX_ENV_FILE_BYTES) throw tooLarge(place);
    if (n < chunk.length) break;
  }
  if (chunks.length === 1) return chunks[0] as Buffer;
  const all = Buffer.allocUnsafeSlow(total);
  let at = 0;
  for (const part of chunks) {
    at += part.copy(all, at);
    release(part);
  }
  return all;
}

function tooLarge(place: string): EnvError {
  return new EnvError(
    EnvErrorCode.fileTooLarge,
    `${place} is larger than ${MAX_ENV_FILE_BYTES / 1024 / 1024} MB, far more than any .env file holds. Fix: check that this is the env file you meant; keep large data (certificates, JSON) in files the service mounts, not in .env`,
  );
}

function utf16Check(start: Buffer, place: string): void {
  const [a, b] = [start[0], start[1]];
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
    throw new EnvError(
      EnvErrorCode.fileBinary,
      `${place} is UTF-16 text, but docker compose reads .env files as UTF-8. Fix: save it as UTF-8 (most editors offer "Save with encoding"; or run: iconv -f UTF-16 -t UTF-8)`,
    );
  }
}

/** ASCII (most .env files) becomes a one-byte string directly; anything else is checked to be UTF-8. */
function decode(bytes: Buffer): EnvFileText {
  if (isAscii(bytes)) return { text: bytes.toString('latin1') };
  const text = bytes.toString('utf8');
  return isUtf8(bytes) ? { text } : { text, invalidUtf8Line: lineAt(text, text.indexOf('\ufffd')) };
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function binaryError(place: string, before: Buffer, offset: number): EnvError {
  let line = 1;
  for (let i = before.indexOf(10); i >= 0; i = before.indexOf(10, i + 1)) line++;
  return new EnvError(
    EnvErrorCode.fileBinary,
    `${place} is not a text file: it has a NUL byte on line ${line} (byte ${grouped(offset + 1)}), so it is binary data, not KEY=value lines. Fix: point --env-file at the .env text file, or recreate .env from .env.example`,
  );
}

function directoryError(place: string, shown: string, explicit: boolean): EnvError {
  const fix = explicit
    ? `pass the path of the env file itself, e.g. --env-file ${escapeControls(shown.replace(/\/+$/, ''))}/.env`
    : 'rename or remove the directory named .env, then create the file from .env.example (cp .env.example .env)';
  return new EnvError(EnvErrorCode.fileUnreadable, `${place} is a directory, not an env file. Fix: ${fix}`);
}

function openError(error: NodeJS.ErrnoException, absPath: string, shown: string, place: string, explicit: boolean): EnvError {
  switch (error.code) {
    case 'EISDIR':
      return directoryError(place, shown, explicit);
    case 'EACCES':
    case 'EPERM':
      return new EnvError(
        EnvErrorCode.fileUnreadable,
        `cannot read ${place}: permission denied for the user running the task. Fix: make it readable by that user (chmod u+r, or chown it to them), or run the task as the file's owner`,
      );
    case 'ENOENT':
      return new EnvError(EnvErrorCode.fileMissing, `${place} ${brokenLink(absPath)}. Fix: point it at an existing file, or create the file from .env.example`);
    case 'ELOOP':
      return new EnvError(EnvErrorCode.fileUnreadable, `${place} is a loop of symbolic links. Fix: make it a regular file (cp .env.example .env)`);
    default:
      return new EnvError(
        EnvErrorCode.fileUnreadable,
        `cannot read ${place}: ${error.code ?? 'error'} (${escapeControls(String(error.message ?? error))}). Fix: check that the path names a readable text file`,
      );
  }
}

/** Why an existing name cannot be opened: usually a symbolic link whose target is gone. */
function brokenLink(absPath: string): string {
  try {
    if (lstatSync(absPath).isSymbolicLink()) return `is a symbolic link to ${escapeControls(readlinkSync(absPath))}, which does not exist`;
  } catch {
    // Not there at all.
  }
  return 'does not exist';
}
