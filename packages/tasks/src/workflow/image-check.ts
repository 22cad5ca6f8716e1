/**
 * docker-build knows when nothing changed: it fingerprints what the build can see (the context less what the
 * .dockerignore leaves out, matched by @promtior/audit's matcher; the Dockerfile; the target and build args; the
 * base images' ids from the image facts), writes the fingerprint into the image as a label, and before the next
 * build compares it with the label of the image at the tag. Equal: no `docker build` runs at all. Labels that
 * describe the build (revision, creation date) are not inputs, so they never make an unchanged image new; labels that
 * say whose image it is (the project docker-clean removes it for, its base images' roles) are: the same sources built
 * in another folder must not keep the first folder's project label.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ImageFacts } from '../facts/facts.ts';
import { imageId } from '../facts/images.ts';
import { fromOutput, type OutputArg, output } from '../model/data-flow.ts';
import { type CheckStep, check } from '../model/up-to-date.ts';

/** The label that carries the fingerprint of the inputs an image was built from. */
export const FINGERPRINT_LABEL = 'com.promtior.tasks.fingerprint';

export interface ImageInputs {
  bin: string;
  /** The tag the build writes (and whose label is compared). */
  tag: string;
  /** The build context (the folder `docker build` runs in, given as `.`). */
  context: string;
  /** The Dockerfile as given to --file (relative to the context, or absolute). */
  dockerfile: string;
  target: string;
  buildArgs: readonly string[];
  /** `key=value` labels the image must carry that say whose it is and what it is built on (not revision or date). */
  labels: readonly string[];
  /** Base image references (FROM): their ids count. */
  baseImages: readonly string[];
  images: ImageFacts;
  /** The daemon's socket, when the facts asked it directly (DockerFacts.api): the label is read there. */
  api?: string;
  /** Set when the build must run whatever the fingerprint says (`--no-cache`, a cache export). */
  runAnyway?: string;
}

/** The check step (first in the plan) and the `--label` value the build step writes it with. */
export function imageCheck(inputs: ImageInputs): { check: CheckStep; label: OutputArg } {
  const fingerprint = output<string>('fingerprint');
  const dockerfile = path.resolve(inputs.context, inputs.dockerfile);
  // BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile when there is one, else the context's.
  const own = `${dockerfile}.dockerignore`;
  const dockerignore = existsSync(own) ? own : path.join(inputs.context, '.dockerignore');
  const values: Record<string, string> = { target: inputs.target };
  for (const arg of inputs.buildArgs) values[`build-arg ${arg.slice(0, arg.indexOf('='))}`] = arg.slice(arg.indexOf('=') + 1);
  for (const l of inputs.labels) values[`label ${l.slice(0, l.indexOf('='))}`] = l.slice(l.indexOf('=') + 1);
  for (const ref of inputs.baseImages) values[`base image ${ref}`] = imageId(inputs.images, ref) ?? 'not on this machine';
  const step = check(
    `${inputs.tag}: up to date?`,
    { dir: inputs.context, sources: ['**'], generates: [], values, dockerignore, files: [dockerfile] },
    { kind: 'image-label', bin: inputs.bin, image: inputs.tag, label: FINGERPRINT_LABEL, cwd: inputs.context, ...(inputs.api ? { api: inputs.api } : {}) },
    { output: fingerprint, ...(inputs.runAnyway ? { always: inputs.runAnyway } : {}) },
  );
  return { check: step, label: fromOutput(fingerprint, (v) => `${FINGERPRINT_LABEL}=${v}`, `${FINGERPRINT_LABEL}=<fingerprint>`) };
}
