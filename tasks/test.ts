/**
 * This repo's test suite: unit tests next to the code, end-to-end tests in test/ (real CLI, real Docker engine).
 * Lint runs beside the type checks; the whole is skipped as up to date when no file of the repo changed since the
 * last success (`--force` runs it anyway), and `--watch` reruns it on save.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { action, call, cmd, defineTask, ErrorCode, parallel, runIfMain, TaskError } from '@promtior/tasks';
import { z } from 'zod';
import { describeLeftovers, type Leftover } from '../test/helpers/leftovers.ts';
import { TEMP_REPORT } from '../test/helpers/temp-folder.ts';
import { cliBundle } from './_cli-bundle.ts';
import { ALONE, LANE_B, PORT_BASE } from './_engine-lanes.ts';
import { checkPackages } from './check-packages.ts';
import { lint } from './lint.ts';

const root = path.resolve(import.meta.dirname, '..');
const CACHE = path.join(root, 'node_modules', '.cache');
/** The report of the unit and end-to-end run (the whole run's with --filter). */
export const RESULTS = path.join(CACHE, 'test-results.json');
/** The report of the engine tests' run, which runs beside the other. */
export const DOCKER_RESULTS = path.join(CACHE, 'test-results-docker.json');
/** The reports of the other two engine runs (tasks/_engine-lanes.ts): lane B, and the files that run alone. */
const DOCKER_B_RESULTS = path.join(CACHE, 'test-results-docker-b.json');
const DOCKER_ALONE_RESULTS = path.join(CACHE, 'test-results-docker-alone.json');
/** What each run left in the machine's temp folder (each engine run's temp-folder report is its own). */
const DOCKER_TEMP_REPORT = path.join(CACHE, 'test-temp-leftovers-docker.json');
const DOCKER_B_TEMP_REPORT = path.join(CACHE, 'test-temp-leftovers-docker-b.json');
const DOCKER_ALONE_TEMP_REPORT = path.join(CACHE, 'test-temp-leftovers-docker-alone.json');
/** With --no-docker, the unit tests run beside the end-to-end tests: their report and temp-folder report. */
const UNIT_RESULTS = path.join(CACHE, 'test-results-unit.json');
const UNIT_TEMP_REPORT = path.join(CACHE, 'test-temp-leftovers-unit.json');
const LEFTOVERS = path.join(root, 'test', 'helpers', 'leftovers.ts');
/** What the tests left on the engine, found after every run is done (`leftovers.ts --report`). */
const LEFTOVERS_REPORT = path.join(CACHE, 'test-leftovers.json');
/** Held by the engine run alone and by lane B (tasks/_engine-lanes.ts). */
const ENGINE_ALONE_LOCK = path.join(CACHE, 'engine-alone.lock');

export const test = defineTask({
  name: 'test',
  group: 'repo',
  description: 'Run every test (unit and end-to-end against the real Docker engine); prints "N passed, N failed" before the summary',
  options: z.object({
    noDocker: z.boolean().default(false).describe('deselect the tests that need a Docker engine (never in CI)'),
    filter: z.string().optional().describe('only test files whose path contains this text'),
  }),
  // Every file of the repo (node_modules and .git are left out): the tests read the docs and assets too.
  sources: ['**', '!docs/bench-results.json'],
  // CI turns colour off and must never skip: a fresh clone has no state, and CI's value counts anyway.
  env: ['CI'],
  plan: (opts, ctx) => {
    // One thread: on two cores with the tests beside it, tsc's worker threads only add overhead (measured at load ~6:
    // 1.8-2.0 s wall and 1.6-1.8 CPU s instead of 3.1-4.1 s and 2.8-3.4 CPU s); the packages' builds do the same.
    const tsc = cmd([path.join(root, 'node_modules', '.bin', 'tsc'), '-p', 'tsconfig.json', '--singleThreaded'], { cwd: root });
    const color: Record<string, string> = ctx.env.CI ? { FORCE_COLOR: '0' } : {};
    const vitest = (title: string, report: string, args: readonly string[], env: Record<string, string>) =>
      cmd(
        [
          process.execPath,
          path.join(root, 'node_modules', 'vitest', 'vitest.mjs'),
          'run',
          '--reporter=default',
          '--reporter=json',
          `--outputFile.json=${report}`,
          ...args,
        ],
        {
          cwd: root,
          title,
          env: { ...color, ...env },
          // A failed test is counted at the end ("count results" fails the run), not a stop: every other run still
          // runs and reports, so one failure does not hide the results of the files after it.
          okExitCodes: [1],
        },
      );
    const filter = opts.filter ? [opts.filter] : [];
    const split = opts.noDocker && !opts.filter;
    const reports = opts.filter ? [RESULTS] : opts.noDocker ? [RESULTS, UNIT_RESULTS] : FULL_REPORTS;
    const temps = opts.filter
      ? [TEMP_REPORT]
      : opts.noDocker
        ? [TEMP_REPORT, UNIT_TEMP_REPORT]
        : [TEMP_REPORT, DOCKER_TEMP_REPORT, DOCKER_B_TEMP_REPORT, DOCKER_ALONE_TEMP_REPORT];
    // flock (util-linux): the engine runs that must not overlap wait for each other (tasks/_engine-lanes.ts).
    const engine = (title: string, report: string, files: readonly string[], env: Record<string, string>, locked = true) => {
      const run = vitest(title, report, ['--project', 'docker', ...files], env);
      // -o: the lock is not handed down to vitest and what it starts, so nothing left running holds it after the run.
      return locked ? { ...run, argv: ['flock', '-o', ENGINE_ALONE_LOCK, ...run.argv] } : run;
    };
    // One tsc program checks every package's sources and tests, the chores and test/ (tsconfig.json): turbo's
    // per-package typecheck beside it checked the packages' sources twice. The tarballs a release publishes (built
    // JavaScript and types only: publint, attw) are checked beside them: packing waits on pnpm and node start-ups
    // more than on the cores, and writes only dist/ and node_modules/.cache/packs, which lint and tsc never read.
    const tests = split
      ? // Without the engine: the end-to-end tests in one of the run's job slots (one per core), and in the other the
        // unit tests, then the checks, so that they fill the end-to-end tests' waits (a silent daemon's deadline, a
        // --watch quiet period) instead of coming after them: vitest runs one project's files only once the other's
        // are done, which left the unit files' ~12 s at the end of a run (measured: 60.5 s, unit files from 48.5 s).
        [
          parallel(
            // Three end-to-end files at a time, one more than the config's two: a file that waits (a silent daemon's
            // deadline, Ctrl-C's grace, a --watch quiet period) then leaves no core idle once the unit tests are done
            // (measured, ./task test --no-docker --force: 54.1/53.2/55.8 s, against 63.2/55.9/67.6 s with two).
            [vitest('end-to-end tests', RESULTS, ['--project', 'e2e', '--maxWorkers=3'], {})],
            [
              // One worker for the unit tests: they have time to spare beside the end-to-end tests, which are CPU-bound
              // on the two cores (measured, ./task test --no-docker --force: 56.8/61.1/58.7 s instead of 62.5-65.2 s).
              vitest('unit tests', UNIT_RESULTS, ['--project', 'unit', '--maxWorkers=1'], { PROMTIOR_TEST_TEMP_REPORT: UNIT_TEMP_REPORT }),
              call(lint),
              tsc,
              call(checkPackages),
            ],
          ),
        ]
      : opts.noDocker
        ? // With a filter, one run: a filter must match somewhere, not in each of two runs.
          [parallel([vitest('unit and end-to-end tests', RESULTS, ['--exclude', 'test/docker/**', ...filter], {})], [call(lint)], [tsc], [call(checkPackages)])]
        : opts.filter
          ? // One run, after the checks (as before the engine tests got a run of their own): a filter that matches
            // nothing must still fail, which it could not in a run it leaves empty.
            [parallel(call(lint), [tsc], call(checkPackages)), vitest('tests', RESULTS, filter, {})]
          : // Vitest runs side by side, each with its report: the engine tests wait on the engine and the CLI-start
            // end-to-end tests on the cores, so they overlap, where one run took the projects one after the other.
            // The engine tests are the longer part, so they start at once: first the files that must have the
            // engine to themselves, alone on it (the other slot's tests do not touch the engine), then lane A. Lint,
            // tsc and the unit and end-to-end tests go in the other slot, then check-packages and lane B of the engine
            // tests (the engine tests that pack or publish the workspace do it from a copy: their prepack does not
            // rewrite this checkout's dist/ while check-packages packs it). The run alone and lane B hold the same
            // lock, so lane B never starts while the other is still going, however long the stand-in images take
            // (tasks/_engine-lanes.ts).
            [
              parallel(
                [
                  engine('engine tests that need the engine to themselves', DOCKER_ALONE_RESULTS, ALONE, {
                    PROMTIOR_TEST_TEMP_REPORT: DOCKER_ALONE_TEMP_REPORT,
                    PROMTIOR_TEST_PORT_BASE: String(PORT_BASE.a),
                  }),
                  engine(
                    'engine tests, lane A',
                    DOCKER_RESULTS,
                    [...LANE_B, ...ALONE].flatMap((f) => ['--exclude', f]),
                    { PROMTIOR_TEST_TEMP_REPORT: DOCKER_TEMP_REPORT, PROMTIOR_TEST_PORT_BASE: String(PORT_BASE.a) },
                    false,
                  ),
                ],
                [
                  call(lint),
                  tsc,
                  vitest('unit and end-to-end tests', RESULTS, ['--project', 'unit', '--project', 'e2e'], {}),
                  // Before lane B, which waits for the run alone anyway (a call beside it would wait for a free job
                  // slot, i.e. for the end of a lane: measured, it then ran last).
                  call(checkPackages),
                  engine('engine tests, lane B', DOCKER_B_RESULTS, LANE_B, {
                    PROMTIOR_TEST_TEMP_REPORT: DOCKER_B_TEMP_REPORT,
                    PROMTIOR_TEST_PORT_BASE: String(PORT_BASE.b),
                  }),
                ],
              ),
            ];
    return [
      // A stale report must never stand in for this run's.
      cmd(['mkdir', '-p', CACHE], { cwd: root }),
      cmd(
        [
          'rm',
          '-f',
          RESULTS,
          DOCKER_RESULTS,
          DOCKER_B_RESULTS,
          DOCKER_ALONE_RESULTS,
          UNIT_RESULTS,
          LEFTOVERS_REPORT,
          TEMP_REPORT,
          DOCKER_TEMP_REPORT,
          DOCKER_B_TEMP_REPORT,
          DOCKER_ALONE_TEMP_REPORT,
          UNIT_TEMP_REPORT,
        ],
        { cwd: root },
      ),
      // Every end-to-end test starts the CLI: from the same fresh bundle of its sources (made now if stale).
      cliBundle(),
      // An earlier run that was killed may have left stacks behind: they would collide with this run's.
      ...(opts.noDocker ? [] : [cmd([process.execPath, LEFTOVERS, '--', '--remove'], { cwd: root })]),
      ...tests,
      // Once every run is done (also after a failure or Ctrl-C): what the tests left on the engine, reported (a
      // failure below) and removed.
      ...(opts.noDocker ? [] : [cmd([process.execPath, LEFTOVERS, '--', '--remove', '--report', LEFTOVERS_REPORT], { cwd: root, always: true })]),
      action(
        'count results',
        [`read ${reports.map((r) => path.relative(root, r)).join(' and ')}, print "N passed, N failed" (their sums); fail when N failed is not 0`],
        async (rt) => {
          const counts = resultCounts(reports);
          rt.log(resultLine(reports));
          if (counts.failed > 0) throw new TaskError(ErrorCode.checkFailed, `${counts.failed} failed: the failures are above, under each vitest run.`);
        },
        { always: true },
      ),
      action('check that no test left anything on the Docker engine', [`read ${path.relative(root, LEFTOVERS_REPORT)}`], async () => {
        const left = leftovers();
        if (left.length > 0) {
          throw new TaskError(
            ErrorCode.checkFailed,
            `the tests left ${left.length} resource(s) on the Docker engine (removed after the run): ${describeLeftovers(left)}. Fix the test that started them so it removes what it starts.`,
          );
        }
      }),
      // CI has the machine to itself, so whatever appeared in /tmp during the run is this run's: a failure. On a shared
      // machine another checkout's tests write there at the same time and cannot be told apart: a warning naming them.
      action(
        'check that no test left anything in the temp folder',
        [`read ${temps.map((r) => path.relative(root, r)).join(' and ')}; ${ctx.env.CI ? 'fail' : 'warn'} when they name anything`],
        async (rt) => {
          // Each vitest run compares the temp folder at its end with its start, and the runs overlap: one sees what
          // the other has in use at that moment (a second dockerd's /tmp/dkr-* folder, kept short for its sockets).
          // What is gone by now was cleaned up by whoever made it: only what is still there was left.
          const left = [...new Set(temps.flatMap((r) => readList<string>(r)))].filter((p) => existsSync(p)).sort();
          if (left.length === 0) return;
          const what = `the run left ${left.length} temp folder(s) or file(s) outside its own temp folder: ${left.slice(0, 20).join(', ')}${left.length > 20 ? ', ...' : ''}. Fix the code that made them so it writes under os.tmpdir() (the run points TMPDIR at a folder it removes) or removes what it makes`;
          if (ctx.env.CI) throw new TaskError(ErrorCode.checkFailed, `${what}.`);
          rt.log(`warning: ${what} (or another checkout's tests ran at the same time: outside CI they cannot be told apart).`);
        },
      ),
    ];
  },
});

function readList<T>(file: string): T[] {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T[];
  } catch {
    return [];
  }
}

/** What the tests left on the engine, found after the runs (empty when nothing leaked or no report). */
function leftovers(): Leftover[] {
  return readList<Leftover>(LEFTOVERS_REPORT);
}

/** Every report of a whole run with the engine: the unit and end-to-end run and the three engine runs. */
export const FULL_REPORTS = [RESULTS, DOCKER_RESULTS, DOCKER_B_RESULTS, DOCKER_ALONE_RESULTS] as const;

interface Counts {
  passed: number;
  /** Failed tests, plus one per run without a report or with errors outside its tests, plus one for a leak. */
  failed: number;
  skipped: number;
  why: string[];
}

function resultCounts(files: readonly string[]): Counts {
  const sum = { passed: 0, failed: 0, skipped: 0, missing: 0, errors: 0 };
  for (const file of files) {
    try {
      const r = JSON.parse(readFileSync(file, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTodoTests: number;
        success: boolean;
      };
      sum.passed += r.numPassedTests;
      sum.failed += r.numFailedTests;
      sum.skipped += r.numPendingTests + r.numTodoTests;
      // An error outside any test (an unhandled rejection, a failed hook of a file) fails the run without a failed test.
      if (!r.success && r.numFailedTests === 0) sum.errors++;
    } catch {
      sum.missing++;
    }
  }
  const leaked = leftovers().length > 0 ? 1 : 0;
  const why = [
    ...(sum.missing ? [`${sum.missing === files.length ? 'vitest' : `${sum.missing} of the ${files.length} vitest runs`} wrote no report`] : []),
    ...(sum.errors ? [`${sum.errors} vitest run(s) reported errors outside the tests`] : []),
    ...(leaked ? ['the tests left resources on the Docker engine'] : []),
  ];
  return { passed: sum.passed, failed: sum.failed + sum.missing + sum.errors + leaked, skipped: sum.skipped, why };
}

/**
 * The plain closing line CI looks for, summed over the vitest JSON reports of the run (by default a whole run's; a
 * missing one is a failure); a leak counts as one more failure.
 */
export function resultLine(files: readonly string[] = FULL_REPORTS): string {
  const c = resultCounts(files);
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped${c.why.length ? ` (${c.why.join('; ')})` : ''}`;
}

await runIfMain(import.meta, test);
