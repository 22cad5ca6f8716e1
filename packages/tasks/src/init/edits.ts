/**
 * What `task init` writes into a repo, as edits of a file's current text (undefined: no such file) to its new text.
 * Each edit leaves a file that already has what it adds as it is, so a second init changes nothing. Pure: the plan
 * applies them to the files as they are to decide what to show, and the run applies them again to the files as they
 * are then (pnpm add has written package.json in between).
 */
import { rewriteMakefile } from '../migrate/makefile.ts';

export interface FileEdit {
  /** Relative to the repo. */
  file: string;
  /** What the edit does, for --dry-run. */
  what: string;
  apply: (current: string | undefined) => string;
}

export const LIBRARY = '@promtior/tasks';

/** tasks.config.ts of a new repo: the preset's defaults (if any), and room for the repo's own keys. */
export function configText(preset: string | undefined): string {
  return [
    "import { defineConfig } from '@promtior/tasks';",
    '',
    '// Every key is optional; `task config --explain` shows what each one is and where it comes from.',
    'export default defineConfig({',
    ...(preset ? [`  extends: ['${preset}'],`] : []),
    '});',
    '',
  ].join('\n');
}

/** package.json with a `task` script (the one people run: `pnpm task ...`), indentation kept. */
export function withTaskScript(current: string | undefined): string {
  const text = current ?? '{}\n';
  const pkg = JSON.parse(text) as { scripts?: Record<string, string> };
  if (pkg.scripts?.task !== undefined) return text;
  const indent = /^\{\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  return `${JSON.stringify({ ...pkg, scripts: { ...pkg.scripts, task: 'task' } }, null, indent)}\n`;
}

/** Lines .gitignore must have: installed packages, and the .env files that hold secrets. */
export const GITIGNORE_ENTRIES = ['node_modules/', '.env', '.env.*', '!.env.example'] as const;

/** .gitignore with every entry above that it lacks (spelled with or without a leading or trailing slash). */
export function withGitignore(current: string | undefined): string {
  const have = new Set((current ?? '').split('\n').map((l) => l.trim().replace(/^\//, '').replace(/\/$/, '')));
  const missing = GITIGNORE_ENTRIES.filter((e) => !have.has(e.replace(/\/$/, '')));
  if (missing.length === 0) return current ?? '';
  const text = current ?? '';
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  return `${text}${sep}${text === '' ? '' : '\n'}# promtior-tasks: installed packages and secrets stay out of git\n${missing.join('\n')}\n`;
}

/** The Makefile's docker targets as shims that call the tasks (migrate's rewrite); a new Makefile has only those. */
export function withMakefileShims(current: string | undefined): string {
  const text = rewriteMakefile(current ?? '').text;
  return current === undefined ? text.replace(/^\n/, '') : text;
}

/**
 * pnpm installs no version younger than its minimumReleaseAge (a day by default): a supply-chain guard, but it keeps
 * a team's own release away from `pnpm update` for that long. A repo trusts its own scopes: @promtior and the
 * preset's. Adds the patterns pnpm-workspace.yaml lacks to a block list (or the key, when there is none).
 */
export function withReleaseAgeExclude(patterns: readonly string[]): (current: string | undefined) => string {
  return (current) => {
    const text = current ?? '';
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /^minimumReleaseAgeExclude:\s*$/.test(l));
    const listed = new Set<string>();
    for (let i = at + 1; at >= 0 && i < lines.length && /^\s+-/.test(lines[i] as string); i++)
      listed.add((lines[i] as string).replace(/^\s+-\s*/, '').replace(/^['"]|['"]$/g, ''));
    const missing = patterns.filter((p) => !listed.has(p));
    // A flow list (`[...]`) or a key written some other way is left to the person: nothing is added twice.
    if (missing.length === 0 || (at < 0 && /^minimumReleaseAgeExclude:/m.test(text))) return text;
    const items = missing.map((p) => `  - '${p}'`);
    if (at >= 0) return [...lines.slice(0, at + 1), ...items, ...lines.slice(at + 1)].join('\n');
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    return `${text}${sep}${text === '' ? '' : '\n'}# The team's own releases install at once (pnpm holds back versions younger than minimumReleaseAge).\nminimumReleaseAgeExclude:\n${items.join('\n')}\n`;
  };
}

/** `@team/*` for `@team/tasks`; an unscoped package stands for itself. */
export function scopePattern(name: string): string {
  return name.startsWith('@') ? `${name.split('/')[0]}/*` : name;
}

export function initEdits(preset: string | undefined, hasConfig: boolean, manager: 'pnpm' | 'npm' | 'yarn' = 'pnpm'): FileEdit[] {
  const trusted = [...new Set([scopePattern(LIBRARY), ...(preset ? [scopePattern(preset)] : [])])];
  return [
    ...(manager === 'pnpm'
      ? [
          {
            file: 'pnpm-workspace.yaml',
            what: `minimumReleaseAgeExclude ${trusted.join(', ')} (pnpm update brings a release at once)`,
            apply: withReleaseAgeExclude(trusted),
          },
        ]
      : []),
    ...(hasConfig
      ? []
      : [{ file: 'tasks.config.ts', what: preset ? `extends ${preset}` : 'the defaults', apply: (c: string | undefined) => c ?? configText(preset) }]),
    { file: 'package.json', what: 'a "task" script in scripts', apply: withTaskScript },
    { file: '.gitignore', what: `${GITIGNORE_ENTRIES.join(', ')} (those it lacks)`, apply: withGitignore },
    { file: 'Makefile', what: 'docker-build, docker-run, docker-dev and docker-clean as `pnpm task` shims (other targets stay)', apply: withMakefileShims },
  ];
}

/** The dev dependencies init adds: the preset (if any) and the library, those package.json does not list yet. */
export function missingPackages(packageJson: string | undefined, preset: string | undefined): string[] {
  const pkg = packageJson ? (JSON.parse(packageJson) as { dependencies?: object; devDependencies?: object }) : {};
  const listed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
  return [...(preset ? [preset] : []), LIBRARY].filter((p) => !listed.has(p));
}

/** The package manager of the repo, by its lockfile; pnpm where there is none. */
export function packageManager(files: readonly string[]): { name: 'pnpm' | 'npm' | 'yarn'; add: string[] } {
  if (files.includes('pnpm-lock.yaml')) return { name: 'pnpm', add: ['pnpm', 'add', '--save-dev'] };
  if (files.includes('package-lock.json')) return { name: 'npm', add: ['npm', 'install', '--save-dev'] };
  if (files.includes('yarn.lock')) return { name: 'yarn', add: ['yarn', 'add', '--dev'] };
  return { name: 'pnpm', add: ['pnpm', 'add', '--save-dev'] };
}
