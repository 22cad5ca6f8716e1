/**
 * This repo's test suite: unit tests next to the code, end-to-end tests in test/ (real CLI, real Docker engine).
 * Lint runs beside the type checks; the whole is skipped as up to date when no file of the repo changed since the
 * last success (`--force` runs it anyway), and `--watch` reruns it on save.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { action, call, cmd, defineTask, parallel, runIfMain } from '@promtior/tasks';
import { z } from 'zod';
import { LEFTOVERS_REPORT } from '../test/helpers/global-teardown.ts';
import { describeLeftovers, type Leftover } from '../test/helpers/leftovers.ts';
import { TEMP_REPORT } from '../test/helpers/temp-folder.ts';
import { checkPackages } from './check-packages.ts';
import { lint } from './lint.ts';

const root = path.resolve(import.meta.dirname, '..');
export const RESULTS = path.join(root, 'node_modules', '.cache', 'test-results.json');
const LEFTOVERS = path.join(root, 'test', 'helpers', 'leftovers.ts');

export const test = defineTask({
  name: 'test',
  group: 'repo',
  description: 'Run every test (unit and end-to-end against the real Docker engine); ends with "N passed, N failed"',
  options: z.object({
    noDocker: z.boolean().default(false).describe('deselect the tests that need a Docker engine (never in CI)'),
    filter: z.string().optional().describe('only test files whose path contains this text'),
  }),
  // Every file of the repo (node_modules and .git are left out): the tests read the docs and assets too.
  sources: ['**', '!docs/bench-results.json'],
  // CI turns colour off and must never skip: a fresh clone has no state, and CI's value counts anyway.
  env: ['CI'],
  plan: (opts, ctx) => {
    const tsc = cmd([path.join(root, 'node_modules', '.bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root });
    const vitest = cmd(
      [
        process.execPath,
        path.join(root, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${RESULTS}`,
        ...(opts.noDocker ? ['--exclude', 'test/docker/**'] : []),
        ...(opts.filter ? [opts.filter] : []),
      ],
      { cwd: root, env: { ...(ctx.env.CI ? { FORCE_COLOR: '0' } : {}), ...(opts.noDocker ? {} : { PROMTIOR_TEST_TEARDOWN: '1' }) } },
    );
    return [
      // A stale report must never stand in for this run's.
      cmd(['rm', '-f', RESULTS, LEFTOVERS_REPORT, TEMP_REPORT], { cwd: root }),
      // An earlier run that was killed may have left stacks behind: they would collide with this run's.
      ...(opts.noDocker ? [] : [cmd([process.execPath, LEFTOVERS, '--', '--remove'], { cwd: root })]),
      // One tsc program checks every package's sources and tests, the chores and test/ (tsconfig.json): turbo's
      // per-package typecheck beside it checked the packages' sources twice. The tarballs a release publishes (built
      // JavaScript and types only: publint, attw) are checked beside them: packing waits on pnpm and node start-ups
      // more than on the cores, and writes only dist/ and node_modules/.cache/packs, which nothing else here reads.
      //
      // Without the engine, vitest starts first and beside them: the checks then take turns in the other of the run's
      // job slots (one per core), so their ~20 s hide behind the tests instead of coming before them. With the engine
      // they come first as before: an engine test packs the workspace (its prepack writes dist/) as check-packages does.
      ...(opts.noDocker ? [parallel([vitest], [call(lint)], [tsc], [call(checkPackages)])] : [parallel(call(lint), [tsc], call(checkPackages)), vitest]),
      // Ctrl-C or a crash of vitest skips its global teardown; this always runs.
      ...(opts.noDocker ? [] : [cmd([process.execPath, LEFTOVERS, '--', '--remove'], { cwd: root, always: true })]),
      action('count results', [`read ${path.relative(root, RESULTS)} and print "N passed, N failed"`], async (rt) => rt.log(resultLine()), { always: true }),
      action('check that no test left anything on the Docker engine', [`read ${path.relative(root, LEFTOVERS_REPORT)}`], async () => {
        const left = leftovers();
        if (left.length > 0) {
          throw new Error(
            `the tests left ${left.length} resource(s) on the Docker engine (removed now by the teardown): ${describeLeftovers(left)}. Fix the test that started them so it removes what it starts.`,
          );
        }
      }),
      // CI has the machine to itself, so whatever appeared in /tmp during the run is this run's: a failure. On a shared
      // machine another checkout's tests write there at the same time and cannot be told apart: a warning naming them.
      action(
        'check that no test left anything in the temp folder',
        [`read ${path.relative(root, TEMP_REPORT)}; ${ctx.env.CI ? 'fail' : 'warn'} when it names anything`],
        async (rt) => {
          const left = readList<string>(TEMP_REPORT);
          if (left.length === 0) return;
          const what = `the run left ${left.length} temp folder(s) or file(s) outside its own temp folder: ${left.slice(0, 20).join(', ')}${left.length > 20 ? ', ...' : ''}. Fix the code that made them so it writes under os.tmpdir() (the run points TMPDIR at a folder it removes) or removes what it makes`;
          if (ctx.env.CI) throw new Error(`${what}.`);
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

/** What the global teardown found on the engine after the run (empty when nothing leaked or no report). */
function leftovers(): Leftover[] {
  return readList<Leftover>(LEFTOVERS_REPORT);
}

/** The plain closing line CI looks for, from vitest's JSON report; a leak counts as one more failure. */
export function resultLine(file = RESULTS): string {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    const leaked = leftovers().length > 0 ? 1 : 0;
    return `${r.numPassedTests} passed, ${r.numFailedTests + leaked} failed, ${r.numPendingTests + r.numTodoTests} skipped${leaked ? ' (the tests left resources on the Docker engine)' : ''}`;
  } catch {
    return '0 passed, 1 failed (vitest wrote no report)';
  }
}

await runIfMain(import.meta, test);
