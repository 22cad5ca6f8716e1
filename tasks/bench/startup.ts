/**
 * Start-up (issue 14): every way into the CLI against a bare `node -e 0`, next to the tools people compare a task
 * runner with (`make -n` on a small Makefile, `just --list`), medians of one run with the commands interleaved so
 * that the machine's load falls on all of them alike. A TAB is timed inside one bash, as in a terminal where the
 * shell is already running: the completion function itself, which reads the CLI's cache file and starts no process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, median, root, type Suite, timeOnce } from './_util.ts';

/** The `just` binary itself (the rust-just package's own bin is a Node script that starts it). */
function justBinary(): string {
  const req = createRequire(path.join(realpathSync(path.join(root, 'node_modules', 'rust-just')), 'package.json'));
  return path.join(path.dirname(req.resolve(`rust-just-${process.platform}-${process.arch}/package.json`)), 'bin', 'just');
}

/** A folder with a small Makefile and justfile of the same three recipes. */
function smallRecipes(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-startup-'));
  writeFileSync(path.join(dir, 'Makefile'), 'build:\n\techo build\nrun: build\n\techo run\ntest:\n\techo test\n');
  writeFileSync(path.join(dir, 'justfile'), '# build it\nbuild:\n    echo build\n# run it\nrun: build\n    echo run\n# test it\ntest:\n    echo test\n');
  return dir;
}

/** Median ms of the completion function per TAB, over `runs` TABs in one bash; throws if the cache did not answer. */
function tabMs(words: string[], runs: number): number {
  const script = spawnSync(process.execPath, [cli, '--', 'completion', 'bash'], { cwd: root, encoding: 'utf8' }).stdout;
  const bash = `${script}
task() { echo "the cache did not answer: the CLI was asked" >&2; exit 3; }
COMP_WORDS=(task ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}
for ((i = 0; i < ${runs}; i++)); do
  t0=$EPOCHREALTIME; _promtior_task; t1=$EPOCHREALTIME
  ((\${#COMPREPLY[@]} > 0)) || { echo "no candidates" >&2; exit 4; }
  echo "$t0 $t1"
done`;
  const r = spawnSync('bash', ['-c', bash], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`TAB timing for "task ${words.join(' ')}" failed: ${r.stderr}`);
  return median(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => {
        const [a, b] = l.split(' ').map(Number);
        return ((b as number) - (a as number)) * 1000;
      }),
  );
}

export const startupSuite: Suite = async ({ runs, record }) => {
  const recipes = smallRecipes();
  const commands = {
    node: { argv: [process.execPath, '-e', '0'], label: 'node -e 0' },
    bin: { argv: [process.execPath, cli, '--', '--list'], label: 'node packages/tasks/bin/task.js -- --list' },
    wrapper: { argv: [path.join(root, 'task'), '--list'], label: './task --list' },
    pnpm: { argv: ['pnpm', 'task', '--list'], label: 'pnpm task --list' },
    backupIds: { argv: [process.execPath, cli, '--', '__complete', '--', 'restore', ''], label: 'task __complete -- restore "" (backup ids)' },
    stages: { argv: [process.execPath, cli, '--', '__complete', '--', 'docker-build', '--target', ''], label: 'task __complete -- docker-build --target ""' },
    make: { argv: ['make', '-n', '-C', recipes, 'run'], label: 'make -n run (3-target Makefile)' },
    just: { argv: [justBinary(), '--justfile', path.join(recipes, 'justfile'), '--list'], label: 'just --list (3 recipes)' },
  } as const;
  // Warm the compile cache, the task manifest and the completion cache, as any second run finds them.
  for (const c of Object.values(commands)) timeOnce([...c.argv]);
  const shellCache = path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '', '.cache'), 'promtior-tasks', 'complete');
  if (!existsSync(shellCache)) throw new Error(`no completion cache in ${shellCache}: was a file changed in the last 2 s? Run again.`);
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, [] as number[]])) as Record<keyof typeof commands, number[]>;
  for (let i = 0; i < runs; i++) for (const [k, c] of Object.entries(commands)) times[k as keyof typeof commands].push(timeOnce([...c.argv]));
  const node = median(times.node);
  for (const [k, c] of Object.entries(commands)) {
    const xs = times[k as keyof typeof commands];
    const m = median(xs);
    const ratio = k === 'node' ? '' : `, ${(m / node).toFixed(2)}x node -e 0`;
    record({
      id: `startup.${k === 'pnpm' ? 'pnpm-list' : k}`,
      value: m,
      unit: 'ms',
      text: `${c.label}: median ${m.toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)})${ratio}, ${runs} runs`,
    });
    if (k !== 'node' && k !== 'make' && k !== 'just') {
      record({ id: `startup.${k === 'pnpm' ? 'pnpm-list' : k}-ratio`, value: m / node, unit: 'x', text: `${c.label} / node -e 0: ${(m / node).toFixed(2)}x` });
    }
  }
  const tabRuns = Math.max(runs, 50);
  for (const [id, words, label] of [
    ['tab-names', ['dock'], 'task dock<TAB> (task names)'],
    ['tab-flags', ['docker-build', '--t'], 'task docker-build --t<TAB> (flags)'],
    ['tab-stages', ['docker-build', '--target', ''], 'task docker-build --target <TAB> (stages)'],
  ] as const) {
    const ms = tabMs([...words], tabRuns);
    record({
      id: `startup.${id}`,
      value: ms,
      unit: 'ms',
      text: `${label} in bash, from the cache file: median ${ms.toFixed(1)} ms, ${tabRuns} TABs, no process started`,
    });
  }
};
