/**
 * The engine tests in three runs (`./task test`). One run at a time left the cores idle 43% of the time (vitest's
 * docker project alone: 57% busy over 299 s, sampled from /proc/stat): its files mostly wait on health checks,
 * stacks starting and stopping, and registries. So:
 * - the files that must have the engine to themselves run first, alone on it (the unit and end-to-end tests in the
 *   other slot meanwhile do not touch it): those that compare the whole engine's state before and after, or prune
 *   the whole build cache, which a file running beside them would change; and those that start a second dockerd,
 *   which re-creates the host's DOCKER iptables chains as it starts (measured: the shared engine's
 *   `docker-compose up` beside it failed with "Unable to enable SKIP DNAT rule ... No chain/target/match");
 *   verify.test.ts runs alone too: it judges whether a source-only rebuild reuses the dependency layers, and a
 *   rebuild that overlaps another build of the same base steps on a busy engine can miss the cache (verify's own
 *   three tries, verify/build-log.ts): beside a lane it failed all three in 2 of 6 fresh-clone runs;
 * - then lane A in the same slot: every file not listed here (the long ones; every file that binds fixed host
 *   ports, so those never run beside each other; and the files that build with --no-cache);
 * - lane B starts once the unit and end-to-end tests are done, beside lane A. It waits for the run alone on a lock
 *   (flock), however long that takes.
 * After all of them, `./task test` reports and removes what any of them left on the engine.
 * Each run's example projects take host ports from a range of their own (PROMTIOR_TEST_PORT_BASE).
 */

/**
 * Beside lane A, after the unit and end-to-end tests (both lanes start when the run alone is done: measured, it took
 * longer than the unit and end-to-end tests). The lists balance the two lanes by the files' durations.
 */
export const LANE_B = [
  'test/docker/backup.test.ts',
  'test/docker/paas-port.test.ts',
  'test/docker/dev-tty.test.ts',
  'test/docker/services.test.ts',
  'test/docker/metrics.test.ts',
  'test/docker/runtime-minimal.test.ts',
  'test/docker/secrets.test.ts',
  'test/docker/assistant-unit.test.ts',
  'test/docker/up-to-date.test.ts',
  'test/docker/dev.test.ts',
  'test/docker/compose-env.test.ts',
  'test/docker/build-arg-secrets.test.ts',
  'test/docker/leftovers.test.ts',
  'test/docker/doctor.test.ts',
  'test/docker/dockerignore.test.ts',
] as const;

/** Alone on the engine, before both lanes. */
export const ALONE = [
  'test/docker/verify.test.ts',
  'test/docker/dry-run.test.ts',
  'test/docker/errors.test.ts',
  'test/docker/build-cache.test.ts',
  'test/docker/push-sign.test.ts',
  'test/docker/registry-cache.test.ts',
  'test/docker/registry-images.test.ts',
] as const;

/** Host ports of each run's example projects (test/helpers/project.ts adds up to 5000 by pid): apart, below 32768. */
export const PORT_BASE = { a: 18080, b: 23100 } as const;
