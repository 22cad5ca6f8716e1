/**
 * What the tests leave on the Docker engine, found by ownership marks only (never "whatever is new", which on a
 * shared machine would take other people's containers): compose projects and images of the tests' temp folders
 * (their names start with a test prefix), and anything carrying the test label. Used by
 * `./task test` (before its runs, and after them, also on Ctrl-C or a failure).
 *
 * Run alone: `node test/helpers/leftovers.ts -- [--remove] [--report FILE]`.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, writeFileSync } from 'node:fs';

/** Folder-name prefixes of the tests' temp repos; compose derives project names from folder names. */
export const TEST_PREFIXES = ['task-e2e-', 'consumer-', 'bench-'] as const;
/** Label for what a test creates with docker directly (volumes, containers, networks, images). */
export const TEST_LABEL = 'com.promtior.tasks.test';

export interface Leftover {
  kind: 'container' | 'volume' | 'network' | 'image';
  id: string;
  name: string;
}

/**
 * The client with BuildKit built in on Debian; $DOCKER overrides. Found by its file, not by a `docker version` at
 * import: that asks the daemon, and a hung one would stall every test file that imports this.
 */
export const DOCKER = process.env.DOCKER ?? (isExecutable('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function lines(args: string[]): string[] {
  const r = spawnSync(DOCKER, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

const ownedBy = (labels: string): boolean =>
  labels.split(',').some((kv) => {
    const [k = '', v = ''] = kv.split('=');
    if (k === TEST_LABEL) return true;
    return (k === 'com.docker.compose.project' || k === 'com.promtior.tasks.project') && TEST_PREFIXES.some((p) => v.startsWith(p));
  });

/** Everything of the tests' own on the engine (empty when no engine answers). */
export function findLeftovers(): Leftover[] {
  const out: Leftover[] = [];
  const scan = (kind: Leftover['kind'], args: string[]) => {
    for (const line of lines(args)) {
      const [id = '', name = '', labels = ''] = line.split('\t');
      if (ownedBy(labels)) out.push({ kind, id, name });
    }
  };
  scan('container', ['ps', '-a', '--no-trunc', '--format', '{{.ID}}\t{{.Names}}\t{{.Labels}}']);
  scan('volume', ['volume', 'ls', '--format', '{{.Name}}\t{{.Name}}\t{{.Labels}}']);
  scan('network', ['network', 'ls', '--no-trunc', '--format', '{{.ID}}\t{{.Name}}\t{{.Labels}}']);
  // `image ls` cannot print labels: list the labelled images, then read their labels with one inspect.
  const images = [
    ...new Set([
      ...lines(['image', 'ls', '-q', '--no-trunc', '--filter', `label=${TEST_LABEL}`]),
      ...lines(['image', 'ls', '-q', '--no-trunc', '--filter', 'label=com.promtior.tasks.project']),
    ]),
  ];
  if (images.length > 0) {
    for (const line of lines([
      'image',
      'inspect',
      '--format',
      '{{.Id}}\t{{range .RepoTags}}{{.}} {{end}}\t{{range $k, $v := .Config.Labels}}{{$k}}={{$v}},{{end}}',
      ...images,
    ])) {
      const [id = '', tags = '', labels = ''] = line.split('\t');
      if (ownedBy(labels)) out.push({ kind: 'image', id, name: tags.trim() || id.slice(7, 19) });
    }
  }
  const seen = new Set<string>();
  return out.filter((l) => !seen.has(`${l.kind}${l.id}`) && seen.add(`${l.kind}${l.id}`));
}

/** Removes them: containers first (they hold networks, volumes and images). */
export function removeLeftovers(left: readonly Leftover[]): void {
  const ids = (kind: Leftover['kind']) => [...new Set(left.filter((l) => l.kind === kind).map((l) => l.id))];
  if (ids('container').length > 0) spawnSync(DOCKER, ['rm', '-f', '-v', ...ids('container')], { stdio: 'ignore' });
  if (ids('volume').length > 0) spawnSync(DOCKER, ['volume', 'rm', '-f', ...ids('volume')], { stdio: 'ignore' });
  if (ids('network').length > 0) spawnSync(DOCKER, ['network', 'rm', ...ids('network')], { stdio: 'ignore' });
  if (ids('image').length > 0) spawnSync(DOCKER, ['image', 'rm', '-f', ...ids('image')], { stdio: 'ignore' });
}

export function describeLeftovers(left: readonly Leftover[]): string {
  return left.map((l) => `${l.kind} ${l.name}`).join(', ');
}

if (import.meta.main) {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const report = args.includes('--report') ? args[args.indexOf('--report') + 1] : undefined;
  const left = findLeftovers();
  if (report) writeFileSync(report, `${JSON.stringify(left, null, 2)}\n`);
  if (args.includes('--remove')) removeLeftovers(left);
  console.log(
    left.length === 0
      ? 'no test resources on the engine'
      : `test resources on the engine${args.includes('--remove') ? ' (removed)' : ''}: ${describeLeftovers(left)}`,
  );
}
