/**
 * Up-to-date checks as plain data. A `check` step names what a task's result depends on (source globs, generated
 * files, named values such as options, environment variables or build args) and where the fingerprint of its last
 * success is kept. At run time the executor fingerprints those inputs by content (go-task's checksum method, never
 * file times: a fresh checkout or a `touch` changes nothing) and, when nothing changed, skips the rest of the task
 * as "up to date". A task that declares `sources` gets such a step first; docker-build adds its own, kept in the
 * image's label (run/fingerprint.ts computes, run/up-to-date.ts decides).
 */
import type { Output } from './data-flow.ts';

/** What a fingerprint is made of. */
export interface FingerprintSpec {
  /** The folder the globs are relative to. */
  dir: string;
  /** Globs of the inputs (`src/**\/*.ts`; `!` excludes). node_modules and .git are left out unless a glob names them. */
  sources: readonly string[];
  /** Globs of what the task makes: they must exist, unchanged since the last success. */
  generates: readonly string[];
  /** Named values the result depends on (`--target`, `env NODE_ENV`): shown by name, stored only as hashes. */
  values: Readonly<Record<string, string>>;
  /** A .dockerignore applied to the sources, as the builder applies it to its context. */
  dockerignore?: string;
  /** Single files outside `dir` that count too (a Dockerfile from another folder). */
  files?: readonly string[];
}

/** Where the fingerprint of the last success lives. */
export type FingerprintStore =
  /** The per-user state file in the repo, under this key. */
  | { kind: 'state'; key: string }
  /**
   * A label of the image the task builds (the build writes it). Read from the daemon's socket at `api` when the
   * facts found one that answers (GET /images/{image}/json), else with `docker image inspect`.
   */
  | { kind: 'image-label'; bin: string; image: string; label: string; cwd: string; api?: string };

export interface CheckStep {
  kind: 'check';
  title: string;
  describe: readonly string[];
  spec: FingerprintSpec;
  store: FingerprintStore;
  /** Receives the fingerprint (for a later step to write, e.g. as an image label). */
  output?: Output<string>;
  /** A reason to run whatever the fingerprint says (`--no-cache`): the check then only computes. */
  always?: string;
}

export function check(title: string, spec: FingerprintSpec, store: FingerprintStore, opts: { output?: Output<string>; always?: string } = {}): CheckStep {
  const parts = [
    spec.sources.length > 0 ? `sources ${spec.sources.join(' ')}` : '',
    spec.files?.length ? `files ${spec.files.join(' ')}` : '',
    spec.dockerignore ? `less what ${spec.dockerignore} ignores` : '',
    spec.generates.length > 0 ? `generates ${spec.generates.join(' ')}` : '',
    Object.keys(spec.values).length > 0 ? `values ${Object.keys(spec.values).join(', ')}` : '',
  ].filter(Boolean);
  const where = store.kind === 'state' ? 'the fingerprint of its last success' : `the ${store.label} label of ${store.image}`;
  const then = opts.always ? `; runs anyway: ${opts.always}` : '; when they are equal, skip the steps below (up to date)';
  return {
    kind: 'check',
    title,
    describe: [`up to date? fingerprint ${parts.join('; ') || 'nothing'} and compare with ${where}${then}`],
    spec,
    store,
    ...opts,
  };
}
