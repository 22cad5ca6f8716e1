/**
 * Named volumes in and out through a throwaway container of an image already on the machine (never a pull). The
 * argv are built here, purely, so plans can show them; they run through the one spawner like every command. The
 * container writes the tar straight into the backup folder (a bind mount), at the disk's speed rather than the
 * Docker API stream's, while this process hashes the file as it grows (follow-hash.ts): one pass, on the other
 * core, in a fixed buffer, so memory stays flat at any volume size.
 */
import { createHash } from 'node:crypto';
import { formatCommand } from '../exec/format-command.ts';
import type { Arg, RunContext } from '../model/steps.ts';
import { hashWhileWritten } from './follow-hash.ts';
import { progressReporter } from './progress.ts';

/** Marks the throwaway containers, so a teardown step can find any that outlived an interrupted run. */
export const HELPER_LABEL = 'com.promtior.tasks.helper';

export interface VolumeIO {
  dockerBin: string;
  /** An image with sh, tar, find, sha256sum and du that is already on the machine. */
  image: string;
  /** The helper containers' label (`HELPER_LABEL=<project>.<run>`): what the teardown step looks for. */
  label: Arg;
  /** Folder the commands run in (the project). */
  cwd: string;
}

/** The listing a content hash is made of: every file's sha256, sorted by path. */
const LISTING = 'cd /v && find . -type f -print0 | sort -z | xargs -0 -r sha256sum';

/**
 * `docker run` of the helper as root with sh as entry point (any image's USER and ENTRYPOINT set aside), with an
 * init process so that the signal the docker client forwards on Ctrl-C stops the script (a shell as PID 1 ignores
 * it), and no network.
 */
export function helperArgv(io: VolumeIO, volume: string, mode: 'ro' | 'rw', script: string, mounts: readonly Arg[] = []): Arg[] {
  return [
    io.dockerBin,
    'run',
    '--rm',
    '--init',
    '--network',
    'none',
    '--label',
    io.label,
    '--user',
    '0:0',
    '--entrypoint',
    'sh',
    '-v',
    `${volume}:/v${mode === 'ro' ? ':ro' : ''}`,
    ...mounts.flatMap((m) => ['-v', m]),
    io.image,
    '-c',
    script,
  ];
}

/** Bytes in the volume (`du -sb`), for progress. */
export function sizeArgv(io: VolumeIO, volume: string): Arg[] {
  return helperArgv(io, volume, 'ro', 'du -sb /v');
}

/** The volume's sorted per-file sha256 listing on stdout. */
export function listingArgv(io: VolumeIO, volume: string): Arg[] {
  return helperArgv(io, volume, 'ro', LISTING);
}

/** Writes the volume as `/out/<file>` (the backup's volumes folder, `outMount`), owned by `owner` (uid:gid), mode 0600. */
export function tarArgv(io: VolumeIO, volume: string, outMount: Arg, file: string, owner: string): Arg[] {
  return helperArgv(io, volume, 'ro', `umask 077; tar -C /v -cf /out/${file} . && chown ${owner} /out/${file}`, [outMount]);
}

/** Replaces the volume's content with `/in/<file>` (the volume is created if it does not exist). */
export function untarArgv(io: VolumeIO, volume: string, inMount: string, file: string): Arg[] {
  return helperArgv(io, volume, 'rw', `find /v -mindepth 1 -delete && tar -C /v -xf /in/${file}`, [inMount]);
}

/** The content fingerprint of a listing: its sha256 and the number of files. */
export function contentOf(listing: string): { sha256: string; files: number } {
  return { sha256: createHash('sha256').update(listing).digest('hex'), files: listing.split('\n').filter(Boolean).length };
}

/** The size `du -sb` printed. */
export function bytesOf(duOutput: string): number {
  return Number.parseInt(duOutput, 10) || 0;
}

/**
 * Runs the tar command (through the RunContext, so the one spawner: its own process group, stopped on Ctrl-C) and
 * hashes `file` while it is written. Returns the tar's size and sha256.
 */
export async function streamVolume(
  rt: RunContext,
  argv: readonly string[],
  file: string,
  what: string,
  total: number,
): Promise<{ size: number; sha256: string }> {
  const progress = progressReporter(rt, what, total);
  const writer = rt.exec({ argv, cwd: rt.cwd }, { quiet: true });
  const { sha256, size } = await hashWhileWritten(file, writer, progress.update);
  await writer;
  progress.done(size);
  return { size, sha256 };
}

/** The command as --dry-run shows it. */
export function shown(argv: readonly Arg[]): string {
  return formatCommand({ argv });
}
