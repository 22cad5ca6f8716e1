/**
 * Reads what an audit judges: the named or discovered Dockerfiles and compose files, the Dockerfile of every build
 * context the compose files reference (and, when discovering, the other Dockerfiles in those contexts), and the
 * .dockerignore that applies to each build. A path that cannot be used at all (missing, a folder) throws an
 * AuditInputError; a file that is read but is binary, unreadable or does not parse becomes an input problem, which
 * the report turns into a critical finding.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { defaultFiles, dockerfilesIn, relativeTo } from './discover.ts';
import { AuditInputError } from './errors.ts';
import type { AuditInput, InputProblem } from './model.ts';
import { loadCompose } from './parse/compose.ts';
import { type Dockerfile, parseDockerfile } from './parse/dockerfile.ts';
import { type IgnoreFile, parseDockerignore } from './parse/dockerignore.ts';
import { buildOf, composeProjectDir } from './services.ts';

export interface LoadOptions {
  dir: string;
  /** Dockerfiles to read (default: discovered in dir). */
  dockerfiles?: readonly string[];
  /** Compose files in merge order (default: the base file, then its override, in dir). */
  composeFiles?: readonly string[];
  /** Variables for `${VAR}` interpolation (the project's .env and the shell). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The .dockerignore that applies to the named Dockerfiles (default: per build context, as Docker picks it). */
  dockerignore?: string;
}

type Read = { text: string } | { problem: InputProblem };

/** Reads a text file; a missing path or a folder throws, an unreadable or binary file is a problem. */
function readText(dir: string, file: string, what: string): Read {
  const abs = path.resolve(dir, file);
  const rel = relativeTo(dir, file);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new AuditInputError(rel, `the ${what} ${rel} does not exist (looked in ${dir}). Check the path.`);
  }
  if (isDir)
    throw new AuditInputError(
      rel,
      `the ${what} ${rel} is a folder, not a file (in ${dir}). Name the file itself (e.g. ${path.posix.join(rel, what === 'Dockerfile' ? 'Dockerfile' : 'docker-compose.yml')}), or run the audit in that folder with -C.`,
    );
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { problem: { file: rel, line: 1, message: `the file cannot be read (${code})`, fix: 'Make it readable by the user running the audit.' } };
  }
  if (bytes.includes(0))
    return { problem: { file: rel, line: 1, message: `the file is binary, not a ${what}`, fix: `Point the audit at the ${what} itself.` } };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { problem: { file: rel, line: 1, message: 'the file is not UTF-8 text', fix: `Save the ${what} as UTF-8.` } };
  }
}

export function loadInput(opts: LoadOptions): AuditInput {
  const dir = path.resolve(opts.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new AuditInputError(opts.dir, `${opts.dir} is not a folder. Run the audit in the project folder, or pass -C <folder>.`);
  const discovering = opts.dockerfiles === undefined && opts.composeFiles === undefined;
  const defaults = defaultFiles(dir);
  const errors: InputProblem[] = [];
  const dockerfiles: Dockerfile[] = [];
  const addDockerfile = (file: string) => {
    const rel = relativeTo(dir, file);
    if (dockerfiles.some((d) => d.file === rel)) return;
    const r = readText(dir, file, 'Dockerfile');
    if ('problem' in r) errors.push(r.problem);
    else dockerfiles.push(parseDockerfile(rel, r.text));
  };
  for (const f of opts.dockerfiles ?? defaults.dockerfiles) addDockerfile(f);

  const composeFiles = opts.composeFiles ?? defaults.composeFiles;
  const texts: { file: string; text: string }[] = [];
  for (const f of composeFiles) {
    const r = readText(dir, f, 'compose file');
    if ('problem' in r) errors.push(r.problem);
    else texts.push({ file: relativeTo(dir, f), text: r.text });
  }
  const compose = texts.length > 0 ? loadCompose(texts, opts.env ?? {}) : undefined;
  const input: AuditInput = { dir, dockerfiles, compose, contextFiles: [], errors };

  // Every build context the compose files reference: its Dockerfile, and when discovering, its other Dockerfiles.
  const projectDir = composeProjectDir(input);
  for (const s of compose?.services ?? []) {
    const build = buildOf(s.config.build, projectDir);
    if (!build || build.remote || build.inline) continue;
    const abs = path.resolve(dir, build.dockerfile);
    if (existsSync(abs) && statSync(abs).isFile()) addDockerfile(build.dockerfile);
    else {
      const at = compose?.where(`services.${s.name}.build`) ?? { file: composeFiles[0] ?? '', line: 1 };
      errors.push({
        ...at,
        message: `service ${s.name} builds from ${build.dockerfile}, which does not exist`,
        fix: 'Fix build.context / build.dockerfile (the Dockerfile is relative to the context, the context to the first compose file).',
      });
    }
    if (discovering) for (const f of dockerfilesIn(path.resolve(dir, build.context))) addDockerfile(path.posix.join(build.context, f));
    const df = dockerfiles.find((d) => d.file === build.dockerfile);
    if (df && build.target && df.problems.length === 0 && !df.stages.some((st) => st.name === build.target?.toLowerCase()))
      errors.push({
        ...(compose?.where(`services.${s.name}.build.target`) ?? { file: composeFiles[0] ?? '', line: 1 }),
        message: `service ${s.name} builds target ${build.target}, which ${df.file} does not define (stages: ${df.stages.map((st) => st.name ?? st.index).join(', ')})`,
        fix: 'Name an existing stage in build.target, or add `AS <target>` to the FROM of the stage to build.',
      });
  }

  const ignores = new Map<string, IgnoreFile | undefined>();
  const ignoreAt = (file: string): IgnoreFile | undefined => {
    if (!ignores.has(file)) {
      const abs = path.resolve(dir, file);
      const r = existsSync(abs) && statSync(abs).isFile() ? readText(dir, file, '.dockerignore') : undefined;
      if (r && 'problem' in r) errors.push(r.problem);
      ignores.set(file, r && 'text' in r ? parseDockerignore(relativeTo(dir, file), r.text) : undefined);
    }
    return ignores.get(file);
  };
  for (const df of dockerfiles) {
    // Docker's choice: <Dockerfile>.dockerignore next to the Dockerfile, else the context's .dockerignore.
    const context =
      compose?.services.map((s) => buildOf(s.config.build, projectDir)).find((b) => b?.dockerfile === df.file)?.context ?? path.posix.dirname(df.file);
    df.ignore = opts.dockerignore ? ignoreAt(opts.dockerignore) : (ignoreAt(`${df.file}.dockerignore`) ?? ignoreAt(path.posix.join(context, '.dockerignore')));
  }
  input.dockerignore = opts.dockerignore ? ignoreAt(opts.dockerignore) : ignoreAt('.dockerignore');
  input.contextFiles = readdirSync(dir);
  return input;
}
