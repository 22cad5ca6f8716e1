/**
 * docker-build --shared-cache REF: a build cache shared between machines through a registry. Every build imports
 * REF and exports to it, with what this client can do (the registry fact says which, and why):
 * - registry: buildx with a builder that can export one writes the whole cache (every stage, mode=max) to REF;
 * - inline: the classic client (BuildKit built in) can only put the cache metadata into the image itself, so the
 *   image is built with BUILDKIT_INLINE_CACHE=1, tagged REF and pushed; the next runner imports it.
 */
import type { RegistryFacts } from '../facts/facts.ts';
import { cmd, type Step } from '../model/steps.ts';

export interface SharedCache {
  buildArgs: string[];
  cacheFrom: string[];
  cacheTo: string[];
  /** More `docker build` flags. */
  flags: string[];
  /** Steps after the build: the inline cache travels in the pushed image. */
  after: Step[];
  /** One line saying which cache is used and why. */
  note: string;
}

export function sharedCache(ref: string, exportKind: RegistryFacts['cacheExport'], o: { bin: string; tag: string; cwd: string }): SharedCache {
  if (exportKind.kind === 'registry') {
    return {
      buildArgs: [],
      cacheFrom: [`type=registry,ref=${ref}`],
      cacheTo: [`type=registry,ref=${ref},mode=max`],
      // A builder of its own (docker-container) keeps what it builds unless told to load it into the engine.
      flags: ['--load'],
      after: [],
      note: `shared cache: registry cache at ${ref}, every stage (${exportKind.why})`,
    };
  }
  return {
    buildArgs: ['BUILDKIT_INLINE_CACHE=1'],
    cacheFrom: [ref],
    cacheTo: [],
    flags: [],
    after: [cmd([o.bin, 'tag', o.tag, ref], { cwd: o.cwd }), cmd([o.bin, 'push', ref], { cwd: o.cwd })],
    note: `shared cache: inline in the image pushed as ${ref}, the final stage's layers (${exportKind.why})`,
  };
}
