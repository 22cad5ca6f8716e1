/**
 * Which base images to build and run on, chosen from the image list gathered as a fact (no network traffic, no
 * probe while planning): registry images when they are on the machine (or were set explicitly), else the local
 * stand-ins that `docker-offline-images` builds. `--images registry` makes BuildKit pull instead.
 */
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { workflowSpec } from '@promtior/env';
import type { ImageFacts } from '../facts/facts.ts';
import { imageId } from '../facts/images.ts';

export const IMAGE_MODES = ['auto', 'registry', 'offline'] as const;
export type ImageMode = (typeof IMAGE_MODES)[number];
export type ImageKey = keyof typeof OFFLINE_IMAGES;
export type Images = Record<ImageKey, string>;

export interface ImageChoice {
  images: Images;
  offline: boolean;
  reason: string;
}

/** The images the configuration names (its values, else the spec's defaults). */
export function configuredImages(values: Readonly<Record<string, string | undefined>>): Images {
  return Object.fromEntries((Object.keys(OFFLINE_IMAGES) as ImageKey[]).map((k) => [k, values[k] ?? workflowSpec[k].default])) as Images;
}

export function chooseImages(mode: ImageMode, values: Readonly<Record<string, string | undefined>>, present: ImageFacts): ImageChoice {
  const configured = configuredImages(values);
  if (mode === 'registry') return { images: configured, offline: false, reason: 'registry images (--images registry)' };
  if (mode === 'offline') return { images: { ...OFFLINE_IMAGES }, offline: true, reason: 'local stand-ins (--images offline)' };
  const explicit = (Object.keys(OFFLINE_IMAGES) as ImageKey[]).some((k) => values[k] !== undefined && values[k] !== workflowSpec[k].default);
  if (explicit) return { images: configured, offline: false, reason: 'images set in the configuration' };
  const missing = Object.values(configured).filter((ref) => imageId(present, ref) === undefined);
  if (missing.length === 0) return { images: configured, offline: false, reason: 'registry images found on this machine' };
  return {
    images: { ...OFFLINE_IMAGES },
    offline: true,
    reason: `${missing.join(', ')} not on this machine: using local stand-ins (pull them, or pass --images registry, to use the real ones)`,
  };
}
