/**
 * The one Dockerfile parser of the repo (audit, migrate and verify): Dockerfile → instructions with line numbers,
 * grouped into stages, plus the problems `docker build` would reject before building. Tokenising is done by
 * dockerfile-ast (the parser behind the VS Code Docker language server), which reads heredocs (`RUN <<EOF`, several
 * per line, `<<-`), the `# escape=` directive and continuations with comment lines inside, where the hand-written
 * tokenisers it replaces read a heredoc body as instructions (migrate rejected `apt-get` as an unknown instruction).
 * `# audit-ignore=RULE` comments are read from the raw lines (dockerfile-ast takes one at the top for a directive).
 */
import { DockerfileParser } from 'dockerfile-ast';
import type { IgnoreFile } from './dockerignore.ts';

export interface Instruction {
  /** Upper-cased keyword. */
  cmd: string;
  /** Everything after the keyword and its flags, continuations joined, heredoc bodies included (newline-separated). */
  args: string;
  /** `--flag=value` options before the arguments (COPY --from, RUN --mount, ...). */
  flags: Record<string, string[]>;
  line: number;
  /** Rule ids ignored by a comment on the line(s) just before. */
  ignored: string[];
}

export interface Stage {
  index: number;
  name?: string;
  /** The FROM image (or the name of an earlier stage), ARG defaults substituted. */
  image: string;
  /** The stage it builds on, when FROM names an earlier stage. */
  parent?: Stage;
  from: Instruction;
  instructions: Instruction[];
}

/** Why `docker build` would reject the file before building (or why the audit cannot read it). */
export interface DockerfileProblem {
  line: number;
  message: string;
}

export interface Dockerfile {
  file: string;
  stages: Stage[];
  /** ARG before the first FROM, with defaults. */
  globalArgs: Record<string, string>;
  all: Instruction[];
  /** Empty when the file parses; else each problem with its line. */
  problems: DockerfileProblem[];
  /** The .dockerignore that applies to its build context (set by loadInput). */
  ignore?: IgnoreFile;
}

/** Dockerfiles in the wild stay under 20 KiB; past this size the file is not read. */
export const DOCKERFILE_MAX_BYTES = 128 * 1024;

export const INSTRUCTIONS: ReadonlySet<string> = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

const IGNORE = /^\s*#\s*audit-ignore=([\w,\s-]+)/;

export function parseDockerfile(file: string, text: string): Dockerfile {
  const empty = (problem: DockerfileProblem): Dockerfile => ({ file, stages: [], globalArgs: {}, all: [], problems: [problem] });
  if (text.includes('\u0000')) return empty({ line: 1, message: 'the file is binary, not a Dockerfile' });
  if (Buffer.byteLength(text, 'utf8') > DOCKERFILE_MAX_BYTES)
    return empty({ line: 1, message: `the file is larger than ${DOCKERFILE_MAX_BYTES / 1024} KiB, too large for a Dockerfile` });
  const lines = text.split(/\r\n?|\n/);
  const problems: DockerfileProblem[] = [];
  const all: Instruction[] = [];
  let previousEnd = 0;
  for (const ins of DockerfileParser.parse(text).getInstructions()) {
    const range = ins.getRange();
    const line = range.start.line + 1;
    const ignored: string[] = [];
    for (let l = previousEnd + 1; l < line; l++) {
      const m = IGNORE.exec(lines[l - 1] ?? '');
      if (m) ignored.push(...(m[1] as string).split(/[\s,]+/).filter(Boolean));
    }
    previousEnd = range.end.line + 1;
    const cmd = ins.getKeyword().toUpperCase();
    if (!INSTRUCTIONS.has(cmd)) {
      problems.push({ line, message: `unknown instruction "${ins.getInstruction().slice(0, 40)}"` });
      continue;
    }
    const flags: Record<string, string[]> = {};
    if ('getFlags' in ins && typeof ins.getFlags === 'function')
      for (const f of (ins as { getFlags(): { getName(): string; getValue(): string | null }[] }).getFlags())
        flags[f.getName()] = [...(flags[f.getName()] ?? []), f.getValue() ?? ''];
    all.push({ cmd, args: (ins.getArgumentsContent() ?? '').trim(), flags, line, ignored });
  }
  const first = all[0];
  if (first && first.cmd !== 'FROM' && first.cmd !== 'ARG')
    problems.push({ line: first.line, message: `the first instruction must be FROM (or ARG before FROM), not ${first.cmd}` });
  for (const ins of all) if (ins.cmd === 'FROM' && !ins.args) problems.push({ line: ins.line, message: 'FROM needs an image' });
  if (!all.some((i) => i.cmd === 'FROM')) problems.push({ line: 1, message: text.trim() === '' ? 'the file is empty' : 'there is no FROM instruction' });
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of all) {
    if (ins.cmd === 'FROM') {
      const [rawImage = '', , name] = ins.args.split(/\s+/);
      const image = substitute(rawImage, globalArgs);
      const parent = stages.find((s) => s.name !== undefined && s.name.toLowerCase() === image.toLowerCase());
      stages.push({ index: stages.length, name: name?.toLowerCase(), image, parent, from: ins, instructions: [] });
    } else if (stages.length === 0) {
      if (ins.cmd === 'ARG') {
        for (const [k, v = ''] of ins.args.split(/\s+/).map((a) => a.split('='))) globalArgs[(k as string).trim()] = v.replace(/^["']|["']$/g, '');
      }
    } else {
      (stages[stages.length - 1] as Stage).instructions.push(ins);
    }
  }
  return { file, stages, globalArgs, all, problems };
}

function substitute(value: string, args: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g, (_m, a: string, def: string | undefined, b: string) => args[a ?? b] ?? def ?? '');
}

/** The stage an image is built from: `target` if given (compose build.target), else the last one. */
export function finalStage(df: Dockerfile, target?: string): Stage | undefined {
  if (target) return df.stages.find((s) => s.name === target.toLowerCase());
  return df.stages[df.stages.length - 1];
}

/** The stage and its ancestors (through FROM <stage>), nearest first. */
export function lineage(stage: Stage): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | undefined = stage; s; s = s.parent) out.push(s);
  return out;
}
