/** Which image the volume helper containers run: the first candidate already on the machine (a backup never pulls). */
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { ErrorCode, TaskError } from '../errors.ts';
import type { ImageFacts } from '../facts/facts.ts';
import { imageId } from '../facts/images.ts';
import { action } from '../model/steps.ts';

/** Images with sh, tar, find, sha256sum and du, best first: the project's own, then its base, then common ones. */
export function helperCandidates(appImage: string, pythonImage: string | undefined): string[] {
  return [
    ...new Set([appImage, ...(pythonImage ? [pythonImage] : []), OFFLINE_IMAGES.PYTHON_IMAGE, 'busybox:latest', 'alpine:latest', 'debian:bookworm-slim']),
  ];
}

export function helperImageOf(images: ImageFacts, candidates: readonly string[]): string | undefined {
  return candidates.find((c) => imageId(images, c) !== undefined);
}

/** A step that fails the run (not the plan, so --dry-run still prints) when no candidate is on the machine. */
export function noHelperImage(candidates: readonly string[]) {
  return action('find an image to read the volumes with', [`stop: none of ${candidates.join(', ')} is on this machine, and backups never pull`], () => {
    throw new TaskError(
      ErrorCode.dockerUnavailable,
      `no image with tar is on this machine to read the volumes with (tried ${candidates.join(', ')}), and backups never pull. Fix: build the project's image (task docker-build) or the offline stand-ins (task docker-offline-images).`,
    );
  });
}
