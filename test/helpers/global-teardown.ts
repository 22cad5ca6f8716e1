/**
 * Vitest global set-up: after the last test file (also when tests failed), whatever the tests left on the Docker
 * engine is written to a report and removed. `./task test` fails the run when the report is not empty: a test that
 * leaks a stack is a broken test, even if the stack is cleaned up for it here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findLeftovers, removeLeftovers } from './leftovers.ts';

export const LEFTOVERS_REPORT = path.resolve(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'test-leftovers.json');

/**
 * Only in a run of the whole suite with the engine (`./task test` sets PROMTIOR_TEST_TEARDOWN=1): a single test file
 * run by hand beside another run must not remove that run's stacks.
 */
export default function setup(): (() => void) | undefined {
  if (process.env.PROMTIOR_TEST_TEARDOWN !== '1') return undefined;
  mkdirSync(path.dirname(LEFTOVERS_REPORT), { recursive: true });
  writeFileSync(LEFTOVERS_REPORT, '[]\n');
  return () => {
    const left = findLeftovers();
    writeFileSync(LEFTOVERS_REPORT, `${JSON.stringify(left, null, 2)}\n`);
    removeLeftovers(left);
  };
}
