/** Team presets for the tests: a package laid out as `task` expects one (tasks/*.js, tasks.config.js, a peer range). */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface PresetFiles {
  name?: string;
  version: string;
  /** `peerDependencies["@promtior/tasks"]`; null leaves it out. */
  peer?: string | null;
  /** `tasks/<file>` → source. */
  tasks?: Record<string, string>;
  /** The body of `tasks.config.js` (`export default {...}`), if any. */
  config?: string;
  changelog?: string;
}

/** The preset's package files, relative to its folder. */
export function presetFiles(p: PresetFiles): Record<string, string> {
  const name = p.name ?? '@team/tasks';
  const pkg = {
    name,
    version: p.version,
    description: 'Team tasks and defaults on top of @promtior/tasks',
    type: 'module',
    files: ['tasks', 'tasks.config.js', 'CHANGELOG.md'],
    ...(p.peer === null ? {} : { peerDependencies: { '@promtior/tasks': p.peer ?? '>=0.1.0 <1' } }),
  };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    ...Object.fromEntries(Object.entries(p.tasks ?? {}).map(([f, code]) => [`tasks/${f}`, code])),
    ...(p.config ? { 'tasks.config.js': p.config } : {}),
    ...(p.changelog ? { 'CHANGELOG.md': p.changelog } : {}),
  };
}

export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
}

/** Puts the preset into the repo's node_modules as an install would (replacing an earlier one); returns its folder. */
export function installPreset(repo: string, p: PresetFiles): string {
  const dir = path.join(repo, 'node_modules', ...(p.name ?? '@team/tasks').split('/'));
  rmSync(dir, { recursive: true, force: true });
  writeTree(dir, presetFiles(p));
  return dir;
}

/** A preset task in plain JavaScript (a preset ships JavaScript: Node strips no types inside node_modules). */
export function presetTask(name: string, description: string, says: string): string {
  return `import { action, defineTask, z } from '@promtior/tasks';

export const task = defineTask({
  name: '${name}',
  group: 'team',
  description: '${description}',
  options: z.object({}),
  plan: (_o, ctx) => [action('${name}', ['say what it is'], (rt) => rt.log(\`${says} (image \${ctx.config.image ?? 'default'})\`))],
});
`;
}

/** A team's preset repository, released with changesets as ours is: its files, a changesets config, a git commit. */
export function presetRepo(dir: string, p: PresetFiles): void {
  writeTree(dir, {
    ...presetFiles(p),
    '.changeset/config.json': `${JSON.stringify({ changelog: '@changesets/cli/changelog', commit: false, access: 'restricted', baseBranch: 'main' }, null, 2)}\n`,
  });
}
