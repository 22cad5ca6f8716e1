/**
 * Which base images to build and run on. Chosen while planning, without any network traffic: registry images
 * when they are on the machine (or were set explicitly), else the local stand-ins that `docker-offline-images`
 * builds. `--images registry` makes BuildKit pull instead.
 */
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { workflowSpec } from '@promtior/env';
import { capture } from '../exec/run-command.ts';

export const IMAGE_MODES = ['auto', 'registry', 'offline'] as const;
export type ImageMode = (typeof IMAGE_MODES)[number];
export type ImageKey = keyof typeof OFFLINE_IMAGES;
export type Images = Record<ImageKey, string>;

export interface ImageChoice {
  images: Images;
  offline: boolean;
  reason: string;
}

export async function chooseImages(
  mode: ImageMode,
  values: Readonly<Record<string, string | undefined>>,
  dockerBin: string,
  cwd: string,
): Promise<ImageChoice> {
  const configured = Object.fromEntries((Object.keys(OFFLINE_IMAGES) as ImageKey[]).map((k) => [k, values[k] ?? workflowSpec[k].default])) as Images;
  if (mode === 'registry') return { images: configured, offline: false, reason: 'registry images (--images registry)' };
  if (mode === 'offline') return { images: { ...OFFLINE_IMAGES }, offline: true, reason: 'local stand-ins (--images offline)' };
  const explicit = (Object.keys(OFFLINE_IMAGES) as ImageKey[]).some((k) => values[k] !== undefined && values[k] !== workflowSpec[k].default);
  if (explicit) return { images: configured, offline: false, reason: 'images set in the configuration' };
  const missing: string[] = [];
  for (const ref of Object.values(configured)) {
    if ((await capture([dockerBin, 'image', 'inspect', '--format', '{{.Id}}', ref], cwd)).exitCode !== 0) missing.push(ref);
  }
  if (missing.length === 0) return { images: configured, offline: false, reason: 'registry images found on this machine' };
  return {
    images: { ...OFFLINE_IMAGES },
    offline: true,
    reason: `${missing.join(', ')} not on this machine: using local stand-ins (pull them, or pass --images registry, to use the real ones)`,
  };
}
