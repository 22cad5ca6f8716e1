/**
 * Which image each role (Python base, uv, Ollama) uses, decided from the facts alone: the image list and the
 * registry fact (the daemon's answer to "could you pull this?", asked once per run under a short deadline).
 * Registry first: on the machine -> use it; else pullable -> pull it; else the local stand-in, with a warning that
 * says what the stand-in does not do. `--images registry` never falls back (a missing image fails the run before
 * anything slow, with the registry's own error); `--images offline` always uses the stand-ins.
 */
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { workflowSpec } from '@promtior/env';
import type { ImageFacts, PullAnswer, RegistryFacts } from '../facts/facts.ts';
import { imageId, normalizeRef } from '../facts/images.ts';
import type { PlanContext } from '../model/task.ts';
import { readWorkflowValues } from './env.ts';
import { resolveProject } from './project.ts';
import { STAND_INS } from './stand-ins.ts';

export const IMAGE_MODES = ['auto', 'registry', 'offline'] as const;
export type ImageMode = (typeof IMAGE_MODES)[number];
export type ImageKey = keyof typeof OFFLINE_IMAGES;
export type Images = Record<ImageKey, string>;
export const IMAGE_KEYS = Object.keys(OFFLINE_IMAGES) as ImageKey[];

export interface RoleChoice {
  key: ImageKey;
  /** The image the configuration names. */
  wanted: string;
  /** The image used. */
  ref: string;
  source: 'present' | 'pull' | 'stand-in';
  /** Why, in a few words (doctor, logs). */
  why: string;
  /** The image must come from the registry and cannot: the run stops with this before anything slow. */
  refusal?: string;
}

export interface ImageChoice {
  images: Images;
  roles: Record<ImageKey, RoleChoice>;
  /** The roles on a local stand-in, in role order. */
  standIns: ImageKey[];
}

/** The images the configuration names (its values, else the spec's defaults). */
export function configuredImages(values: Readonly<Record<string, string | undefined>>): Images {
  return Object.fromEntries(IMAGE_KEYS.map((k) => [k, values[k] ?? workflowSpec[k].default])) as Images;
}

export function chooseImages(mode: ImageMode, values: Readonly<Record<string, string | undefined>>, present: ImageFacts, registry: RegistryFacts): ImageChoice {
  const configured = configuredImages(values);
  const roles = Object.fromEntries(
    IMAGE_KEYS.map((key) => [
      key,
      chooseRole(key, configured[key], mode, values[key] !== undefined && values[key] !== workflowSpec[key].default, present, registry),
    ]),
  ) as Record<ImageKey, RoleChoice>;
  const standIns = IMAGE_KEYS.filter((k) => roles[k].source === 'stand-in');
  return {
    images: Object.fromEntries(IMAGE_KEYS.map((k) => [k, roles[k].ref])) as Images,
    roles,
    standIns,
  };
}

/** One line for reports: each role's image and where it comes from. */
export function rolesLine(choice: ImageChoice, keys: readonly ImageKey[] = IMAGE_KEYS): string {
  return keys
    .map((k) => {
      const r = choice.roles[k];
      return `${STAND_INS[k].role} ${r.ref} (${r.source === 'stand-in' ? 'local stand-in' : r.source === 'present' ? 'on this machine' : 'pulled'})`;
    })
    .join(', ');
}

function chooseRole(key: ImageKey, wanted: string, mode: ImageMode, explicit: boolean, present: ImageFacts, registry: RegistryFacts): RoleChoice {
  const standIn = (why: string): RoleChoice => ({ key, wanted, ref: OFFLINE_IMAGES[key], source: 'stand-in', why });
  if (mode === 'offline') return standIn('--images offline');
  if (wanted === OFFLINE_IMAGES[key]) return standIn(`${key} names it`);
  const id = imageId(present, wanted);
  if (id) return { key, wanted, ref: wanted, source: 'present', why: `on this machine, ${shortId(id)}` };
  const answer: PullAnswer = registry.pullable[normalizeRef(wanted)] ?? { ok: false, error: 'not asked', timedOut: false, answered: false, ms: 0 };
  if (answer.ok) return { key, wanted, ref: wanted, source: 'pull', why: `the registry has ${shortId(answer.digest)}${via(wanted, registry)}` };
  const cannot = answer.timedOut
    ? `the registry did not answer within ${seconds(registry.deadlineMs)}`
    : answer.answered
      ? `the registry says: ${answer.error}`
      : `the daemon cannot reach the registry: ${answer.error}`;
  if (mode === 'registry' || explicit) {
    // Credentials live with the docker CLI, not with the daemon we asked: let `docker pull` try with them.
    if (answer.answered && /unauthori[sz]ed|denied|authentication required/i.test(answer.error)) {
      return { key, wanted, ref: wanted, source: 'pull', why: 'the registry wants credentials: docker pull uses yours' };
    }
    const given = mode === 'registry' ? '--images registry' : `${key} is set to ${wanted}`;
    return {
      key,
      wanted,
      ref: wanted,
      source: 'pull',
      why: 'cannot be pulled',
      refusal: `${wanted} (${STAND_INS[key].role}) is not on this machine and cannot be pulled: ${cannot}${via(wanted, registry)}. Fix: check the name and that the registry answers (docker pull ${wanted}), log in if it is private, or use the local stand-in (--images auto falls back to it, --images offline always uses it)${mode === 'registry' ? '' : `; ${given}`}.`,
    };
  }
  return standIn(`${wanted} is not on this machine and ${cannot}`);
}

/** The registry an image reference names: its first part when that is a host, else Docker Hub. */
export function registryHost(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first.replace(/^index\.docker\.io$/, 'docker.io')
    : 'docker.io';
}

/** Docker Hub images come through the daemon's mirrors, when it has any (a mirror covers Docker Hub only). */
function via(ref: string, registry: RegistryFacts): string {
  return registryHost(ref) === 'docker.io' && registry.mirrors.length > 0 ? ` (via the mirror ${registry.mirrors.join(', ')})` : '';
}

function shortId(id: string): string {
  return id.slice(0, 'sha256:'.length + 12);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

/** The images a run's configuration names (the project's .env, --env-file, the shell), for the registry fact. */
export function wantedImages(ctx: PlanContext): string[] {
  try {
    return Object.values(configuredImages(readWorkflowValues(ctx, resolveProject(ctx).dir)));
  } catch {
    // A broken project is reported by the task that plans it; the registry fact asks about the defaults.
    return Object.values(configuredImages({}));
  }
}
