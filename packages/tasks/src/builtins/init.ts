import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../backup/atomic.ts';
import { configFile } from '../config/files.ts';
import { loadLayered } from '../config/layered.ts';
import { presetSource } from '../config/presets.ts';
import { ErrorCode, TaskError } from '../errors.ts';
import { type FileEdit, initEdits, missingPackages, packageManager } from '../init/edits.ts';
import { unifiedDiff } from '../migrate/diff.ts';
import { action, call, cmd, type Step } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { libraryVersion } from '../registry/registry.ts';
import { doctor } from './doctor.ts';

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

export const init = defineTask({
  name: 'init',
  group: 'config',
  description:
    'Set a repo up for the tasks: the dev dependency (ours or a team preset), tasks.config.ts, the task script, .gitignore, Makefile shims; then doctor',
  options: z.object({
    preset: z
      .string()
      .regex(PACKAGE_NAME, 'an npm package name such as @team/tasks')
      .optional()
      .describe('a team preset to install and extend (an npm package, e.g. @team/tasks)'),
    doctor: z.boolean().default(true).describe('check the machine and the repo at the end (--no-doctor skips it)'),
  }),
  examples: ['task init --dry-run', 'task init --preset @team/tasks', 'pnpm --package=@promtior/tasks dlx task init --preset @team/tasks'],
  plan: (opts, ctx) => {
    const read = (f: string) => readRepoFile(ctx.cwd, f);
    checkPackageJson(read('package.json'));
    const missing = missingPackages(read('package.json'), opts.preset);
    const pm = packageManager(readdirSync(ctx.cwd));
    const edits = initEdits(opts.preset, configFile(ctx.cwd) !== undefined, pm.name).filter((e) => e.apply(read(e.file)) !== read(e.file));
    const steps: Step[] = [];
    // Installs first: the package manager writes package.json (making it if there is none), which an edit then extends.
    if (missing.length > 0) steps.push(cmd([...pm.add, ...missing], { cwd: ctx.cwd, title: `add ${missing.join(' and ')}` }));
    if (edits.length > 0) {
      steps.push(
        action(
          'write the files',
          edits.flatMap((e) => describeEdit(e, read(e.file))),
          async (rt) => {
            for (const e of edits) {
              const file = path.join(ctx.cwd, e.file);
              const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
              const next = e.apply(current);
              if (next === current) continue;
              writeFileAtomic(file, next);
              rt.log(`${current === undefined ? 'created' : 'updated'} ${e.file}: ${e.what}`);
            }
          },
        ),
      );
    }
    if (missing.length === 0 && edits.length === 0) {
      steps.push(
        action(
          'nothing to do',
          ['nothing to change: the dependencies, tasks.config, the task script, .gitignore, the Makefile shims (and pnpm settings) are there'],
          () => {},
        ),
      );
    }
    steps.push(
      action('check the configuration', ['load tasks.config.* and the presets it extends: installed, peer ranges fit, every key valid'], async (rt) => {
        const layered = await loadLayered(ctx.cwd, libraryVersion());
        rt.log(`configuration loads${layered.presets.length > 0 ? `; presets: ${layered.presets.map(presetSource).join(', ')}` : ''}`);
      }),
    );
    if (opts.doctor) steps.push(call(doctor));
    return steps;
  },
});

/** An edit for --dry-run: a new file in full, a changed one as a diff. */
function describeEdit(e: FileEdit, current: string | undefined): string[] {
  const next = e.apply(current);
  if (current === undefined && e.file !== 'package.json')
    return [
      `create ${e.file} (${e.what}):`,
      ...next
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    ];
  if (current === undefined) return [`add ${e.what} to the package.json the package manager writes`];
  return [`update ${e.file} (${e.what}):`, ...unifiedDiff(current, next, `a/${e.file}`, `b/${e.file}`).map((l) => `  ${l}`)];
}

/** A file init reads and may write, undefined when there is none; one it cannot use is an error naming it (issue 9). */
function readRepoFile(cwd: string, file: string): string | undefined {
  const full = path.join(cwd, file);
  const st = statSync(full, { throwIfNoEntry: false });
  if (!st) return undefined;
  const fix = `Move or rename it (init writes ${file} as a file), then run \`task init\` again.`;
  if (!st.isFile())
    throw new TaskError(ErrorCode.badRepoFile, `${full} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}, so init cannot read or update it. ${fix}`);
  try {
    return readFileSync(full, 'utf8');
  } catch (error) {
    throw new TaskError(
      ErrorCode.badRepoFile,
      `cannot read ${full} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Make it readable, then run \`task init\` again.`,
      { cause: error },
    );
  }
}

/** package.json must be a JSON object before init adds to it; else name the place, as a JSON editor would. */
function checkPackageJson(text: string | undefined): void {
  if (text === undefined) return;
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (error) {
    const at = /line (\d+) column (\d+)/.exec((error as Error).message);
    const where = at ? `package.json:${at[1]}:${at[2]}` : 'package.json';
    throw new TaskError(
      ErrorCode.badRepoFile,
      `${where}: not valid JSON (${(error as Error).message.split(' in JSON')[0]}). Fix package.json (or remove it to start afresh), then run \`task init\` again.`,
      { cause: error },
    );
  }
  if (pkg === null || typeof pkg !== 'object' || Array.isArray(pkg)) {
    throw new TaskError(ErrorCode.badRepoFile, 'package.json: the top level is not an object ({ "name": ... }). Fix package.json, then run `task init` again.');
  }
}
