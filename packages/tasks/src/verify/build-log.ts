/** What verify reads from a BuildKit `--progress=plain` log: the dependency-install steps and whether each was cached. */

const INSTALL_STEP = /\b(uv pip install|pip3? install|npm (ci|install)|yarn install|poetry install|uv sync)\b/;

/** A log's dependency-install RUN steps by step id ("#13"), and the ids of those BuildKit reported CACHED. */
export function installSteps(log: string): { steps: string[]; cached: string[] } {
  // BuildKit prints a step's header again each time its output resumes after another step's: one id, one step.
  const steps = [...new Set([...log.matchAll(/^(#\d+) \[[^\]]+\] RUN[^\n]*/gm)].filter((m) => INSTALL_STEP.test(m[0])).map((m) => m[1] as string))];
  const cached = steps.filter((id) => new RegExp(`^${id} CACHED\\b`, 'm').test(log));
  return { steps, cached };
}

/**
 * Whether a source-only change reuses the dependency layers, over at most `attempts` rebuilds (`rebuild(n)` makes
 * the n-th source change and returns the build log). A rebuild that overlaps another build's --no-cache run of the
 * same base steps (another verify, a CI job on the same engine) joins that run: BuildKit lets a cached build share a
 * no-cache one's steps, and the install step after them can then miss the cache through no fault of the Dockerfile
 * (1 rebuild in 16 beside three concurrent clean builds). Each try is a new source-only change, so a Dockerfile
 * that reinstalls on every source change fails them all; only a miss from a busy engine passes on a later one.
 */
export async function judgeRebuilds(attempts: number, rebuild: (n: number) => Promise<string>): Promise<{ ok: boolean; figure: string }> {
  const figures: string[] = [];
  for (let n = 1; n <= attempts; n++) {
    const t0 = Date.now();
    const { steps, cached } = installSteps(await rebuild(n));
    figures.push(`${cached.length} of ${steps.length} dependency install steps cached; rebuilt in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (steps.length === 0) break;
    if (cached.length === steps.length) {
      return { ok: true, figure: n === 1 ? `${figures[0]}` : `${figures.at(-1)} (try ${n} of ${attempts}; before: ${figures.slice(0, -1).join(' / ')})` };
    }
  }
  return { ok: false, figure: figures.join(' / ') };
}
