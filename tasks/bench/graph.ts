/**
 * graph (issue 13): what make is for, measured in one run.
 * 1. A generated graph of 50 tasks with known durations (sleeps) and edges, run with -j 1, 2 and 4. Its wall time
 *    (first task start to last task end, from the JSON events) is set against the ideal for the cap: the makespan
 *    of a critical-path-first list schedule of the same graph with the exact durations and zero overhead (what a
 *    perfect runner with that cap and policy achieves; goal: within 1.15x). The lower bound max(critical path,
 *    work / cap), which no schedule beats, is shown too. The same graph as a Makefile runs under `make -j`.
 * 2. A no-change docker-build (the whole CLI) against the raw cached `docker build` it would run, interleaved.
 * 3. The up-to-date check on a repo of 10,000 source files (goal: under 150 ms), in process, warm stat cache.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, docker, dockerOut, exampleProject, median, root, type Suite, task } from './_util.ts';

interface Node {
  name: string;
  ms: number;
  deps: string[];
}

/** 50 tasks, 100-600 ms each, each depending on up to 3 earlier ones (a fixed seed: the same graph every run). */
export function generateGraph(n = 50, seed = 13): Node[] {
  let x = seed;
  const rand = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const nodes: Node[] = [];
  for (let i = 0; i < n; i++) {
    const deps = new Set<string>();
    const k = i === 0 ? 0 : Math.floor(rand() * 4);
    for (let d = 0; d < k; d++) deps.add(`t${String(Math.floor(rand() * i)).padStart(2, '0')}`);
    nodes.push({ name: `t${String(i).padStart(2, '0')}`, ms: 100 + Math.round(rand() * 50) * 10, deps: [...deps].sort() });
  }
  return nodes;
}

/** Longest chain through each node to the end (its upward rank), in ms. */
function ranks(nodes: readonly Node[]): Map<string, number> {
  const after = new Map<string, string[]>();
  for (const n of nodes) for (const d of n.deps) after.set(d, [...(after.get(d) ?? []), n.name]);
  const rank = new Map<string, number>();
  for (const n of [...nodes].reverse()) rank.set(n.name, n.ms + Math.max(0, ...(after.get(n.name) ?? []).map((a) => rank.get(a) ?? 0)));
  return rank;
}

/** The makespan of a list schedule on `cap` workers, ready tasks by rank (highest first), exact durations. */
export function listSchedule(nodes: readonly Node[], cap: number): number {
  const rank = ranks(nodes);
  const done = new Map<string, number>();
  const running: { name: string; end: number }[] = [];
  let now = 0;
  while (done.size < nodes.length) {
    const ready = nodes
      .filter((n) => !done.has(n.name) && !running.some((r) => r.name === n.name) && n.deps.every((d) => (done.get(d) ?? Infinity) <= now))
      .sort((a, b) => (rank.get(b.name) ?? 0) - (rank.get(a.name) ?? 0));
    while (running.length < cap && ready.length > 0) {
      const n = ready.shift() as Node;
      running.push({ name: n.name, end: now + n.ms });
    }
    running.sort((a, b) => a.end - b.end);
    const next = running.shift() as { name: string; end: number };
    now = next.end;
    done.set(next.name, now);
  }
  return now;
}

function tasksFile(nodes: readonly Node[]): string {
  const sinks = nodes.filter((n) => !nodes.some((m) => m.deps.includes(n.name))).map((n) => n.name);
  return [
    "import { cmd, defineTask, z } from '@promtior/tasks';",
    ...nodes.map(
      (n) =>
        `export const ${n.name} = defineTask({ name: '${n.name}', description: '${n.ms} ms', options: z.object({}), deps: ${JSON.stringify(n.deps)}, plan: (_o, c) => [cmd(['sleep', '${(n.ms / 1000).toFixed(2)}'], { cwd: c.cwd })] });`,
    ),
    `export const all = defineTask({ name: 'all', description: 'every task', options: z.object({}), deps: ${JSON.stringify(sinks)}, plan: () => [] });`,
    '',
  ].join('\n');
}

function makefile(nodes: readonly Node[]): string {
  const sinks = nodes.filter((n) => !nodes.some((m) => m.deps.includes(n.name))).map((n) => n.name);
  return [
    `.PHONY: all ${nodes.map((n) => n.name).join(' ')}`,
    `all: ${sinks.join(' ')}`,
    ...nodes.map((n) => `${n.name}: ${n.deps.join(' ')}\n\t@sleep ${(n.ms / 1000).toFixed(2)}`),
    '',
  ].join('\n');
}

/** A temp repo whose tasks/ holds `file`, linked to this workspace's library. */
function repoWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-graph-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  mkdirSync(path.join(dir, 'node_modules', '@promtior'), { recursive: true });
  symlinkSync(path.join(root, 'packages', 'tasks'), path.join(dir, 'node_modules', '@promtior', 'tasks'));
  return dir;
}

/** Wall time of the graph itself: the first task's start to the last task's end, from the JSON events. */
function graphWall(out: string): number {
  const times = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { event: string; time: number })
    .filter((e) => e.event === 'task-start' || e.event === 'task-end')
    .map((e) => e.time);
  return Math.max(...times) - Math.min(...times);
}

function graphSchedules({ rt, record }: Parameters<Suite>[0]): void {
  const nodes = generateGraph();
  const work = nodes.reduce((s, n) => s + n.ms, 0);
  const critical = Math.max(...ranks(nodes).values());
  const edges = nodes.reduce((s, n) => s + n.deps.length, 0);
  rt.log(`graph: 50 tasks, ${edges} edges, work ${(work / 1000).toFixed(2)} s, critical path ${(critical / 1000).toFixed(2)} s`);
  const dir = repoWith({ 'tasks/graph.ts': tasksFile(nodes), Makefile: makefile(nodes) });
  try {
    // One run first: the CLI's manifest and the durations it learns (it starts long chains first).
    task(['all', '-j', '4'], dir);
    for (const cap of [1, 2, 4]) {
      const ideal = listSchedule(nodes, cap);
      const bound = Math.max(critical, work / cap);
      const started = Date.now();
      const wall = graphWall(task(['all', '-j', String(cap), '--output', 'json'], dir));
      const cliTotal = Date.now() - started;
      const makeStarted = Date.now();
      const m = spawnSync('make', ['-s', '-j', String(cap), '-C', dir, 'all'], { stdio: 'ignore' });
      if (m.status !== 0) throw new Error(`make -j ${cap} failed`);
      const make = Date.now() - makeStarted;
      const ratio = wall / ideal;
      record({
        id: `graph.j${cap}`,
        value: wall,
        unit: 'ms',
        text: `-j ${cap}: graph wall ${(wall / 1000).toFixed(2)} s vs ideal list schedule ${(ideal / 1000).toFixed(2)} s = ${ratio.toFixed(3)}x (goal <= 1.15x: ${ratio <= 1.15 ? 'met' : 'NOT met'}); lower bound max(CP, work/${cap}) ${(bound / 1000).toFixed(2)} s (${(wall / bound).toFixed(3)}x); whole CLI ${(cliTotal / 1000).toFixed(2)} s; make -j ${cap} ${(make / 1000).toFixed(2)} s (${(make / ideal).toFixed(3)}x ideal)`,
      });
      record({ id: `graph.j${cap}-ratio`, value: ratio, unit: 'x', text: `-j ${cap}: graph wall / ideal = ${ratio.toFixed(3)}x` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median ms of `argv`, `runs` times, interleaved by the caller. */
function timed(argv: string[], cwd: string, env: Record<string, string> = {}): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0] as string, argv.slice(1), { cwd, env: { ...process.env, CI: 'true', ...env }, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function noChangeBuild({ rt, record, runs }: Parameters<Suite>[0]): void {
  const dir = exampleProject(18903);
  const tag = `bench-${path.basename(dir).toLowerCase()}:latest`;
  try {
    task(['docker-offline-images'], root);
    task(['docker-build', '--tag', tag], dir);
    // The raw build: the very command docker-build runs, with the fingerprint label the image already has.
    const label = dockerOut('image', 'inspect', '--format', '{{index .Config.Labels "com.promtior.tasks.fingerprint"}}', tag);
    const line = task(['docker-build', '--tag', tag, '--dry-run'], dir)
      .split('\n')
      .find((l) => l.includes(' build --progress=plain --target')) as string;
    const raw = ['sh', '-c', `${line.replace(/ # .*$/, '').replace('<fingerprint>', label)} >/dev/null 2>&1`];
    timed(raw, dir);
    const imageId = dockerOut('image', 'inspect', '--format', '{{.Id}}', tag);
    const n = Math.max(5, Math.min(runs, 15));
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < n; i++) {
      ours.push(timed([process.execPath, cli, '--', 'docker-build', '--tag', tag], dir));
      theirs.push(timed(raw, dir));
    }
    if (dockerOut('image', 'inspect', '--format', '{{.Id}}', tag) !== imageId) throw new Error('the raw build made a new image: it is not the same build');
    const ratio = median(ours) / median(theirs);
    rt.log(`no-change docker-build (whole CLI): median ${median(ours).toFixed(0)} ms; raw cached docker build: median ${median(theirs).toFixed(0)} ms`);
    record({
      id: 'graph.docker-no-change',
      value: median(ours),
      unit: 'ms',
      text: `no-change docker-build (CLI included, no docker build run): median ${median(ours).toFixed(0)} ms vs raw cached docker build ${median(theirs).toFixed(0)} ms = ${ratio.toFixed(2)}x (goal <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'}), ${n} runs each, interleaved`,
    });
    record({ id: 'graph.docker-no-change-ratio', value: ratio, unit: 'x', text: `no-change docker-build / raw cached docker build: ${ratio.toFixed(2)}x` });
  } finally {
    spawnSync(docker, ['image', 'rm', '-f', tag], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bigRepoCheck({ record, runs }: Parameters<Suite>[0]): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-10k-'));
  try {
    for (let d = 0; d < 200; d++) {
      const sub = path.join(dir, 'src', `pkg${d % 20}`, `mod${d}`);
      mkdirSync(sub, { recursive: true });
      for (let f = 0; f < 50; f++) writeFileSync(path.join(sub, `file${f}.ts`), `export const v${d}_${f} = ${d * 50 + f};\n`.repeat(20));
    }
    mkdirSync(path.join(dir, 'node_modules'));
    // The workspace's own modules, in process: the check as the executor runs it.
    const { openState } = await import('../../packages/tasks/src/fingerprint/state.ts');
    const { runCheck } = await import('../../packages/tasks/src/run/up-to-date.ts');
    const { check } = await import('../../packages/tasks/src/model/up-to-date.ts');
    const step = check('big: up to date?', { dir, sources: ['src/**/*.ts'], generates: [], values: { 'option x': '1' } }, { kind: 'state', key: 'big' });
    const exec = async () => ({ exitCode: 0, stdout: '', stderr: '' });
    const measure = async () => {
      const started = process.hrtime.bigint();
      // A fresh store each time: the state files are read from disk, as a new CLI process would.
      const outcome = await runCheck(step, openState(dir), { force: false, exec });
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, outcome };
    };
    const cold = await measure();
    cold.outcome.commit();
    // Files hashed within the racy window are hashed again until they are older; wait it out, as a later run would.
    await new Promise((r) => setTimeout(r, 2100));
    (await measure()).outcome.commit();
    const warm: number[] = [];
    for (let i = 0; i < Math.max(runs, 10); i++) {
      const m = await measure();
      if (!m.outcome.upToDate) throw new Error(`the 10,000-file check said: ${m.outcome.why}`);
      warm.push(m.ms);
    }
    const files = readFileSync(path.join(dir, 'node_modules', '.cache', 'promtior-tasks', 'hashes.json'), 'utf8').length;
    record({
      id: 'graph.check-10k',
      value: median(warm),
      unit: 'ms',
      text: `up-to-date check of 10,000 source files: median ${median(warm).toFixed(1)} ms (goal < 150 ms: ${median(warm) < 150 ? 'met' : 'NOT met'}), min ${Math.min(...warm).toFixed(1)}, ${warm.length} runs; first (hashing every file) ${cold.ms.toFixed(0)} ms; hash cache ${(files / 1e6).toFixed(1)} MB`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const graphSuite: Suite = async (b) => {
  if (b.wants('graph.j')) graphSchedules(b);
  if (b.wants('graph.check-10k')) await bigRepoCheck(b);
  if (b.wants('graph.docker-no-change')) noChangeBuild(b);
};
