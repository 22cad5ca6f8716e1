/**
 * The service model, resolved the way compose resolves it: each compose service with its build context, its
 * Dockerfile (`build.dockerfile` relative to the context, default `Dockerfile`; contexts relative to the first
 * compose file's folder), its target stage, or only its image; plus each audited Dockerfile that no service builds,
 * judged on its own (its last stage). Rules about "what runs" judge these units, so a finding lands on the service
 * whose image it is about, never on every service of the file.
 */
import path from 'node:path';
import type { AuditInput } from './model.ts';
import type { ComposeValue, Service } from './parse/compose.ts';
import { type Dockerfile, finalStage, type Stage } from './parse/dockerfile.ts';

export interface BuildRef {
  /** The build context, relative to the audited folder (`.` for the folder itself). */
  context: string;
  /** The Dockerfile, relative to the audited folder. */
  dockerfile: string;
  target?: string;
  /** A context compose fetches (git URL, remote tarball): nothing local to audit. */
  remote: boolean;
  /** `build.dockerfile_inline`: the Dockerfile is the compose setting itself. */
  inline: boolean;
}

export interface Unit {
  /** The compose service's name, or the Dockerfile's path when no service builds it. */
  name: string;
  service?: Service;
  build?: BuildRef;
  /** The Dockerfile the image is built from, when it was read. */
  df?: Dockerfile;
  /** The stage that runs: build.target, else the last one. */
  stage?: Stage;
  /** The image a service runs without building it. */
  image?: string;
}

/** A unit that is built from an audited Dockerfile. */
export interface Runtime extends Unit {
  df: Dockerfile;
  stage: Stage;
}

const REMOTE = /^([a-z][\w+.-]*:\/\/|git@|github\.com\/)/i;

/** What `build:` says, resolved against the compose project folder (relative to the audited folder). */
export function buildOf(build: ComposeValue | undefined, projectDir: string): BuildRef | undefined {
  if (build === undefined || build === null || build === false) return undefined;
  const b = typeof build === 'object' && !Array.isArray(build) ? build : { context: String(build) };
  const context = String(b.context ?? '.');
  const remote = REMOTE.test(context);
  const dockerfile = String(b.dockerfile ?? 'Dockerfile');
  const join = (...parts: string[]) => path.posix.normalize(path.posix.join(...parts));
  return {
    context: remote ? context : join(projectDir, context),
    dockerfile: remote ? dockerfile : path.posix.isAbsolute(dockerfile) ? dockerfile : join(projectDir, context, dockerfile),
    target: b.target === undefined || b.target === null ? undefined : String(b.target),
    remote,
    inline: b.dockerfile_inline !== undefined,
  };
}

/** The folder the first compose file is in: compose resolves every relative path of every file against it. */
export function composeProjectDir(input: AuditInput): string {
  const first = input.compose?.files[0];
  return first ? path.posix.dirname(first) : '.';
}

const CACHE = new WeakMap<AuditInput, Unit[]>();

export function units(input: AuditInput): Unit[] {
  const cached = CACHE.get(input);
  if (cached) return cached;
  const out: Unit[] = [];
  const projectDir = composeProjectDir(input);
  const built = new Set<Dockerfile>();
  for (const service of input.compose?.services ?? []) {
    const build = buildOf(service.config.build, projectDir);
    if (!build) {
      out.push({ name: service.name, service, image: service.config.image === undefined ? undefined : String(service.config.image) });
      continue;
    }
    const df = build.remote || build.inline ? undefined : input.dockerfiles.find((d) => path.posix.normalize(d.file) === build.dockerfile);
    if (df) built.add(df);
    // A target the Dockerfile does not define fails the build (loadInput reports it); judge the last stage meanwhile.
    const stage = df ? (finalStage(df, build.target) ?? finalStage(df)) : undefined;
    out.push({ name: service.name, service, build, df, stage });
  }
  for (const df of input.dockerfiles) {
    if (built.has(df)) continue;
    out.push({ name: df.file, df, stage: finalStage(df) });
  }
  CACHE.set(input, out);
  return out;
}

/** Every unit whose image is built from an audited Dockerfile, with the stage that runs. */
export function runtimes(input: AuditInput): Runtime[] {
  return units(input).filter((u): u is Runtime => u.df !== undefined && u.stage !== undefined);
}

/** The services built from a Dockerfile (empty when none: the file is then judged on its own). */
export function servicesBuilding(input: AuditInput, file: string): string[] {
  return units(input)
    .filter((u) => u.service && u.df?.file === file)
    .map((u) => u.name);
}
