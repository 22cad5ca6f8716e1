/**
 * The step that makes the workspace CLI's bundle (packages/tasks/src/cli/bundle.cjs) before the runs that start the
 * CLI hundreds of times (the tests, the benchmarks), so that they all run the same fresh bundle: an edited source
 * otherwise means the sources run, which is right but ~30% slower per start. Nothing happens while it is fresh.
 */
import path from 'node:path';
import { cmd } from '@promtior/tasks';

const root = path.resolve(import.meta.dirname, '..');
const packageDir = path.join(root, 'packages', 'tasks');

export const cliBundle = () => cmd([process.execPath, path.join(packageDir, 'src', 'cli', 'bundle-build.cjs'), packageDir], { cwd: root, title: 'CLI bundle' });
