/**
 * Named volumes in and out through a throwaway container, using an image already on the machine (never a pull).
 * The container writes the tar straight into the backup folder (a bind mount), at the disk's speed rather than the
 * Docker API stream's, while this process hashes the file as it grows (follow-hash.ts): one pass, on the other
 * core, in a fixed buffer, so memory stays flat at any volume size.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, TaskError } from '../errors.ts';
import type { RunContext } from '../model/steps.ts';
import { hashWhileWritten } from './follow-hash.ts';
import { progressReporter } from './progress.ts';

export interface VolumeIO {
  dockerBin: string;
  cwd: string;
  /** An image with sh, tar, find, sha256sum and du that is already on the machine. */
  image: string;
}

/** The first candidate image present locally; the backup never pulls. */
export async function helperImage(rt: RunContext, dockerBin: string, candidates: readonly string[]): Promise<string> {
  for (const image of candidates) {
    const r = await rt.exec({ argv: [dockerBin, 'image', 'inspect', '--format', '{{.Id}}', image], cwd: rt.cwd }, { quiet: true, okExitCodes: [1] });
    if (r.exitCode === 0) return image;
  }
  throw new TaskError(
    ErrorCode.dockerUnavailable,
    `no image with tar is on this machine to read the volumes with (tried ${candidates.join(', ')}), and backups never pull. Fix: build the project's image (task docker-build) or the offline stand-ins (task docker-offline-images).`,
  );
}

const LISTING = 'cd /v && find . -type f -print0 | sort -z | xargs -0 -r sha256sum';

/** `docker run` of the helper as root with sh as entry point: any image's USER and ENTRYPOINT are set aside. */
function helper(io: VolumeIO, volume: string, mode: 'ro' | 'rw', script: string, mounts: readonly string[] = []): string[] {
  const vol = `${volume}:/v${mode === 'ro' ? ':ro' : ''}`;
  return [
    io.dockerBin,
    'run',
    '--rm',
    '--network',
    'none',
    '--user',
    '0:0',
    '--entrypoint',
    'sh',
    '-v',
    vol,
    ...mounts.flatMap((m) => ['-v', m]),
    io.image,
    '-c',
    script,
  ];
}

/** The volume's content fingerprint: sha256 of its sorted per-file sha256 listing, and the file count. */
export async function contentHash(rt: RunContext, io: VolumeIO, volume: string): Promise<{ sha256: string; files: number }> {
  const r = await rt.exec({ argv: helper(io, volume, 'ro', LISTING), cwd: io.cwd }, { quiet: true });
  return { sha256: createHash('sha256').update(r.stdout).digest('hex'), files: r.stdout.split('\n').filter(Boolean).length };
}

async function volumeBytes(rt: RunContext, io: VolumeIO, volume: string): Promise<number> {
  const r = await rt.exec({ argv: helper(io, volume, 'ro', 'du -sb /v'), cwd: io.cwd }, { quiet: true });
  return Number.parseInt(r.stdout, 10) || 0;
}

/** Writes the volume as tar to `file` (inside the backup folder); returns the tar's size and sha256. */
export async function backupVolume(rt: RunContext, io: VolumeIO, volume: string, file: string): Promise<{ size: number; sha256: string }> {
  const total = await volumeBytes(rt, io, volume);
  const name = path.basename(file);
  const owner = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  const script = `umask 077; tar -C /v -cf /out/${name} . && chown ${owner} /out/${name}`;
  const progress = progressReporter(rt, `volume ${volume}`, total);
  const writer = rt.exec({ argv: helper(io, volume, 'ro', script, [`${path.dirname(file)}:/out`]), cwd: io.cwd }, { quiet: true });
  const { sha256, size } = await hashWhileWritten(file, writer, progress.update);
  await writer;
  progress.done(size);
  return { size, sha256 };
}

/** Replaces the volume's content with the tar in `file` (the volume is created if it does not exist). */
export async function restoreVolume(rt: RunContext, io: VolumeIO, volume: string, file: string): Promise<void> {
  const started = Date.now();
  const script = `find /v -mindepth 1 -delete && tar -C /v -xf /in/${path.basename(file)}`;
  await rt.exec({ argv: helper(io, volume, 'rw', script, [`${path.dirname(file)}:/in:ro`]), cwd: io.cwd }, { quiet: true });
  rt.log(`restore ${volume}: ${(statSync(file).size / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
