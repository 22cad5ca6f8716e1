/**
 * A consumer repo's install and upgrade, against a private registry on this machine (Verdaccio, as the release test
 * uses it): this workspace and a team preset are published at 0.1.0, each of `runs` fresh consumer repos adds both
 * (`pnpm add`), installs again from its lockfile as a fresh clone would (`pnpm install --frozen-lockfile`), then,
 * once 0.2.0 of both is published, upgrades (`pnpm update --latest`) and lists its tasks (the first --list after an
 * upgrade rebuilds the task list). pnpm's store is the machine's: the public dependencies (zod, listr2, yaml, ...)
 * are usually in it already, as on a developer's machine; the packages of the registry are new each run. One more
 * repo installs into an empty store of its own, as a new machine (or CI without a cache) does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { presetRepo, presetTask, writeTree } from '../../test/helpers/preset.ts';
import { changeset, commitAll, gitInit, releaseCopy } from '../../test/helpers/release.ts';
import { startRegistry } from '../../test/helpers/verdaccio.ts';
import { median, root, type Suite } from './_util.ts';

function timed(argv: readonly string[], cwd: string, env: Record<string, string>): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0] as string, argv.slice(1), { cwd, env: { ...process.env, CI: 'true', ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}) in ${cwd}:\n${r.stdout}${r.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export const consumerSuite: Suite = async ({ runs, record }) => {
  const n = Math.min(runs, 5);
  const registry = await startRegistry();
  const made: string[] = [registry.dir];
  const temp = (prefix: string) => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
    made.push(dir);
    return dir;
  };
  try {
    const release = releaseCopy();
    made.push(release);
    const publishMs = timed([process.execPath, path.join(root, 'node_modules', '@changesets', 'cli', 'bin.js'), 'publish'], release, registry.env);
    const preset = temp('task-e2e-preset-');
    presetRepo(preset, { version: '0.1.0', peer: '>=0.1.0 <1', tasks: { 'team-check.js': presetTask('team-check', 'The team check', 'check') } });
    symlinkSync(path.join(root, 'node_modules'), path.join(preset, 'node_modules'));
    gitInit(preset);
    changeset(preset, ['publish'], registry.env);

    const consumers = Array.from({ length: n }, (_, i) => {
      const dir = temp(`consumer-bench-${i}-`);
      writeTree(dir, {
        '.npmrc': registry.scopeLines,
        'pnpm-workspace.yaml': "minimumReleaseAgeExclude:\n  - '@promtior/*'\n  - '@team/*'\n",
        'package.json': `${JSON.stringify({ name: `consumer-bench-${i}`, private: true }, null, 2)}\n`,
        'tasks.config.ts': "export default { extends: ['@team/tasks'] };\n",
      });
      return dir;
    });
    const add = consumers.map((dir) => timed(['pnpm', 'add', '--save-dev', '@team/tasks', '@promtior/tasks'], dir, registry.env));
    // One more repo with an empty store of its own: every package is downloaded (the public ones from npm's registry).
    const cold = temp('consumer-bench-cold-');
    writeTree(cold, { '.npmrc': registry.scopeLines, 'package.json': '{ "name": "consumer-bench-cold", "private": true }\n' });
    const coldMs = timed(['pnpm', 'add', '--save-dev', '--store-dir', path.join(cold, '.store'), '@team/tasks', '@promtior/tasks'], cold, registry.env);
    const frozen = consumers.map((dir) => {
      rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
      return timed(['pnpm', 'install', '--frozen-lockfile'], dir, registry.env);
    });

    writeFileSync(path.join(release, '.changeset', 'bench.md'), '---\n"@promtior/tasks": minor\n---\n\nBench release.\n');
    changeset(release, ['version'], registry.env);
    commitAll(release, 'version');
    changeset(release, ['publish'], registry.env);
    writeTree(preset, {
      'tasks/team-release.js': presetTask('team-release', 'Release the team way', 'release'),
      '.changeset/bench.md': '---\n"@team/tasks": minor\n---\n\nNew task team-release.\n',
    });
    changeset(preset, ['version'], registry.env);
    commitAll(preset, 'version');
    changeset(preset, ['publish'], registry.env);

    const update = consumers.map((dir) => timed(['pnpm', 'update', '--latest', '@team/tasks', '@promtior/tasks'], dir, registry.env));
    const bin = (dir: string) => path.join(dir, 'node_modules', '@promtior', 'tasks', 'bin', 'task.js');
    const list = consumers.map((dir) => timed([process.execPath, bin(dir), '--', '--list'], dir, registry.env));
    for (const dir of consumers) {
      const version = JSON.parse(readFileSync(path.join(dir, 'node_modules', '@team', 'tasks', 'package.json'), 'utf8')).version;
      if (version !== '0.2.0') throw new Error(`${dir}: pnpm update left @team/tasks at ${version}`);
    }
    const fig = (id: string, xs: number[], label: string) =>
      record({
        id: `consumer.${id}`,
        value: median(xs),
        unit: 'ms',
        text: `${label}: median ${(median(xs) / 1000).toFixed(2)} s (min ${(Math.min(...xs) / 1000).toFixed(2)} s), ${xs.length} consumer repos`,
      });
    record({
      id: 'consumer.publish',
      value: publishMs,
      unit: 'ms',
      text: `changeset publish of the four packages (prepack builds each): ${(publishMs / 1000).toFixed(1)} s`,
    });
    fig('add', add, 'pnpm add --save-dev @team/tasks @promtior/tasks (first install, from the private registry)');
    record({
      id: 'consumer.add-cold-store',
      value: coldMs,
      unit: 'ms',
      text: `pnpm add of the same into an empty pnpm store (every package downloaded): ${(coldMs / 1000).toFixed(2)} s, one repo`,
    });
    fig('install-frozen', frozen, 'pnpm install --frozen-lockfile (a fresh clone: no node_modules, lockfile present)');
    fig('update', update, 'pnpm update --latest @team/tasks @promtior/tasks (0.1.0 to 0.2.0)');
    fig('list-after-update', list, 'first task --list after the upgrade (the task list is rebuilt)');
  } finally {
    registry.stop();
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  }
};
