/**
 * The old Makefile: its variables, and what its docker targets ran. `docker build -t NAME` names the image;
 * `docker run -p/-e/-v/--env-file` is the service's run settings when there is no compose file. The four targets
 * the tasks replace (docker-build, docker-run, docker-dev, docker-clean) become shims, so each of their recipe lines
 * is mapped; every other target stays as it was.
 */
import { DOCKER_TARGETS } from '../makefile.ts';
import { shellWords, splitCommands } from '../read/shell.ts';
import { short } from './dockerfile.ts';
import { type Carry, map, type Source } from './types.ts';

export interface DockerRun {
  ports: string[];
  env: [string, string | undefined][];
  envFiles: string[];
  volumes: string[];
  command: string[];
  from: Source;
}

export interface MakefileFindings {
  image?: { name: string; from: Source };
  run?: DockerRun;
}

interface Target {
  name: string;
  line: number;
  recipe: { line: number; text: string }[];
}

export function readMakefile(text: string): { vars: Record<string, string>; targets: Target[] } {
  const vars: Record<string, string> = {};
  const targets: Target[] = [];
  let current: Target | undefined;
  text.split('\n').forEach((raw, i) => {
    if (raw.startsWith('\t') && current) {
      current.recipe.push({ line: i + 1, text: raw.slice(1) });
      return;
    }
    const v = /^(?:export\s+|override\s+)?([A-Za-z_][\w.-]*)\s*(\?=|:=|::=|\+=|!=|=)\s*(.*)$/.exec(raw);
    if (v) {
      const [, name = '', op, value = ''] = v;
      if (op === '+=') vars[name] = `${vars[name] ?? ''} ${value}`.trim();
      else if (op !== '?=' || vars[name] === undefined) vars[name] = value.replace(/\s+#.*$/, '').trim();
      current = undefined;
      return;
    }
    const t = /^([\w.%/-]+(?:\s+[\w.%/-]+)*)\s*::?(?!=)(.*)$/.exec(raw);
    if (t && !raw.startsWith('.')) {
      current = { name: (t[1] as string).split(/\s+/)[0] as string, line: i + 1, recipe: [] };
      targets.push(current);
    } else if (raw.trim() !== '' && !raw.startsWith('#')) current = undefined;
  });
  return { vars, targets };
}

/** `$(NAME)` and `${NAME}` replaced by the variable's value (recursively); `$(shell ...)` and unknown names stay. */
export function expand(text: string, vars: Record<string, string>, depth = 0): string {
  if (depth > 8) return text;
  if (depth === 0) text = withoutShellCalls(text);
  return text.replace(/\$[({]([A-Za-z_][\w.-]*)[)}]/g, (whole, name: string) =>
    vars[name] !== undefined ? expand(withoutShellCalls(vars[name]), vars, depth + 1) : whole,
  );
}

/** A value computed by `$(shell ...)` is unknown until make runs: it becomes a marker word. */
export const SHELL_VALUE = '__make_shell__';

function withoutShellCalls(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (!text.startsWith('$(shell ', i)) {
      out += text[i];
      continue;
    }
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === '(') depth++;
      else if (text[j] === ')' && --depth === 0) break;
    }
    out += SHELL_VALUE;
    i = j;
  }
  return out;
}

export function carryMakefile(text: string, carry: Carry): MakefileFindings {
  const { vars, targets } = readMakefile(text);
  const found: MakefileFindings = {};
  for (const t of targets) {
    const replaced = (DOCKER_TARGETS as readonly string[]).includes(t.name);
    for (const r of t.recipe) {
      const from: Source = { file: 'Makefile', line: r.line, text: short(r.text.trim(), 90) };
      const expanded = expand(r.text.trim().replace(/^[@-]+/, ''), vars);
      for (const command of splitCommands(expanded)) {
        const parsed = shellWords(command);
        const words = parsed.ok ? parsed.words : [];
        if (words[0] === 'docker' && words[1] === 'build') {
          const unknown = (t: string) => /\$|__make_shell__/.test(t);
          const tags = optionValues(words, ['-t', '--tag']);
          const tag = tags.find((t) => !unknown(t)) ?? tags[0];
          const name = tag && (unknown(tag) ? `${tag.split(':')[0]}:latest` : tag.includes(':') ? tag : `${tag}:latest`);
          if (name && !unknown(name)) found.image = { name, from };
        }
        if (words[0] === 'docker' && words[1] === 'run') found.run = dockerRun(words.slice(2), from);
      }
      const image = found.image?.from === from ? `; image ${found.image.name} (tasks.config.ts image)` : '';
      if (replaced) map(carry, from, 'carried', `\`make ${t.name}\` runs \`pnpm task ${t.name}\` (the recipe is replaced)${image}`);
      else if (/\bdocker(-compose)?\b/.test(expanded)) map(carry, from, 'carried', `target ${t.name} stays as it was`);
    }
  }
  return found;
}

function optionValues(words: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (names.includes(w) && words[i + 1] !== undefined) out.push(words[++i] as string);
    const eq = names.find((n) => n.startsWith('--') && w.startsWith(`${n}=`));
    if (eq) out.push(w.slice(eq.length + 1));
  }
  return out;
}

/** The options of `docker run` that a compose service has too; the image ends them, the rest is the command. */
function dockerRun(args: string[], from: Source): DockerRun {
  const run: DockerRun = { ports: [], env: [], envFiles: [], volumes: [], command: [], from };
  const takesValue = new Set([
    '--name',
    '--network',
    '--restart',
    '-u',
    '--user',
    '-w',
    '--workdir',
    '--memory',
    '-m',
    '--cpus',
    '--label',
    '-l',
    '--entrypoint',
    '--hostname',
    '-h',
  ]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const next = () => args[++i] ?? '';
    if (a === '-p' || a === '--publish') run.ports.push(next());
    else if (a.startsWith('--publish=')) run.ports.push(a.slice(10));
    else if (a === '-e' || a === '--env') {
      const [k = '', ...v] = next().split('=');
      run.env.push([k, v.length > 0 ? v.join('=') : undefined]);
    } else if (a === '--env-file') run.envFiles.push(next());
    else if (a === '-v' || a === '--volume') run.volumes.push(next());
    else if (takesValue.has(a)) i++;
    else if (a.startsWith('-')) continue;
    else {
      run.command = args.slice(i + 1);
      break;
    }
  }
  return run;
}
