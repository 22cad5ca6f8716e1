/**
 * This repo's test suite: unit tests next to the code, end-to-end tests in test/ (real CLI, real Docker engine).
 * Lint runs beside the type checks; the whole is skipped as up to date when no file of the repo changed since the
 * last success (`--force` runs it anyway), and `--watch` reruns it on save.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { action, call, cmd, defineTask, parallel, runIfMain } from '@promtior/tasks';
import { z } from 'zod';
import { lint } from './lint.ts';

const root = path.resolve(import.meta.dirname, '..');
export const RESULTS = path.join(root, 'node_modules', '.cache', 'test-results.json');

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
  plan: (opts, ctx) => [
    // A stale report must never stand in for this run's.
    cmd(['rm', '-f', RESULTS], { cwd: root }),
    parallel(call(lint), [
      cmd([path.join(root, 'node_modules', '.bin', 'turbo'), 'run', 'typecheck', '--output-logs=errors-only'], {
        cwd: root,
        env: { TURBO_TELEMETRY_DISABLED: '1' },
      }),
      cmd([path.join(root, 'node_modules', '.bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root }),
    ]),
    cmd(
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
      { cwd: root, env: ctx.env.CI ? { FORCE_COLOR: '0' } : {} },
    ),
    action('count results', [`read ${path.relative(root, RESULTS)} and print "N passed, N failed"`], async (rt) => rt.log(resultLine()), { always: true }),
  ],
});

/** The plain closing line CI looks for, from vitest's JSON report. */
export function resultLine(file = RESULTS): string {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    return `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`;
  } catch {
    return '0 passed, 1 failed (vitest wrote no report)';
  }
}

await runIfMain(import.meta, test);
