/**
 * Dockerfile → instructions with line numbers, grouped into stages. Continuations are joined, comments dropped,
 * `# audit-ignore=RULE` comments kept per instruction, heredoc bodies skipped.
 */
export interface Instruction {
  /** Upper-cased keyword. */
  cmd: string;
  /** Everything after the keyword, continuations joined. */
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

export interface Dockerfile {
  file: string;
  stages: Stage[];
  /** ARG before the first FROM, with defaults. */
  globalArgs: Record<string, string>;
  all: Instruction[];
}

const IGNORE = /#\s*audit-ignore=([\w,\s-]+)/;

export function parseDockerfile(file: string, text: string): Dockerfile {
  const lines = text.split('\n');
  const all: Instruction[] = [];
  let pendingIgnores: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const m = IGNORE.exec(trimmed);
      if (m) pendingIgnores.push(...(m[1] as string).split(/[\s,]+/).filter(Boolean));
      continue;
    }
    const start = i + 1;
    let text2 = trimmed;
    while (text2.endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = (lines[i] as string).trim();
      text2 = `${text2.slice(0, -1).trimEnd()} ${next.startsWith('#') ? '' : next}`.trimEnd();
    }
    const heredoc = /<<-?\s*["']?(\w+)["']?/.exec(text2);
    if (heredoc) {
      const end = heredoc[1] as string;
      while (i + 1 < lines.length && (lines[i + 1] as string).trim() !== end) i++;
      i++;
    }
    const space = text2.search(/\s/);
    const cmd = (space < 0 ? text2 : text2.slice(0, space)).toUpperCase();
    let rest = space < 0 ? '' : text2.slice(space + 1).trim();
    const flags: Record<string, string[]> = {};
    for (let m = /^--([\w-]+)(?:=(\S+))?\s*/.exec(rest); m; m = /^--([\w-]+)(?:=(\S+))?\s*/.exec(rest)) {
      flags[m[1] as string] = [...(flags[m[1] as string] ?? []), m[2] ?? ''];
      rest = rest.slice(m[0].length);
    }
    all.push({ cmd, args: rest, flags, line: start, ignored: pendingIgnores });
    pendingIgnores = [];
  }
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
        const [k, v = ''] = ins.args.split('=');
        globalArgs[(k as string).trim()] = v.replace(/^["']|["']$/g, '');
      }
    } else {
      (stages[stages.length - 1] as Stage).instructions.push(ins);
    }
  }
  return { file, stages, globalArgs, all };
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
