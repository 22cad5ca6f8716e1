/**
 * The old Dockerfile, read with the repo's one Dockerfile parser, instruction by instruction: each line is carried
 * to a setting, recognised as something the template does, not carried (and why), or "needs you".
 */
import { type Instruction, parseDockerfile } from '@promtior/audit';
import type { RepoFiles } from '../read/repo.ts';
import { type Command, parseInstructionCommand } from './command.ts';
import { healthOf, splitHealthcheck } from './health.ts';
import { classifyRun, type DepsHints } from './run-line.ts';
import { isSecret } from './secrets.ts';
import { type Carry, map, type Source } from './types.ts';

/** What the rest of the carrying needs from the Dockerfile besides the mapping. */
export interface DockerfileFindings {
  /** The old WORKDIR (commands' paths under it move to /app). */
  workdir?: string;
  cmd?: { command: Command; from: Source };
  entrypoint?: { command: Command; from: Source };
  ports: { port: string; from: Source }[];
  /** COPY of something besides src/ and the manifests: the whole context is copied. */
  copiesAll: boolean;
  hints: DepsHints;
  apt: string[];
  /** RUN lines that install dependencies: mapped once the style is known. */
  depsLines: Source[];
  aptLines: Source[];
  /** COPY lines of scripts only (an entrypoint script, or part of the app). */
  scriptCopies: { from: Source; sources: string[] }[];
  health?: { path?: string; port?: string; interval?: string; startPeriod?: string; from: Source };
  python?: { image: string; from: Source };
}

/** Variables the template's base sets itself, or that only make sense for the old build. */
const TEMPLATE_ENV =
  /^(PYTHONUNBUFFERED|PYTHONDONTWRITEBYTECODE|PYTHONPATH|PYTHONHASHSEED|PIP_[A-Z_]+|POETRY_[A-Z_]+|UV_[A-Z_]+|PIPENV_[A-Z_]+|PATH|VIRTUAL_ENV|LANG|LC_ALL|DEBIAN_FRONTEND|HOME)$/;
const MANIFEST = /^(\.\/)?(requirements[\w.-]*\.txt|pyproject\.toml|setup\.py|setup\.cfg|uv\.lock|poetry\.lock|Pipfile(\.lock)?|README(\.\w+)?)$/;

export function short(text: string, max = 100): string {
  const line = text.replace(/\s*\\?\n\s*/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

export function carryDockerfile(repo: RepoFiles, name: string, carry: Carry): DockerfileFindings {
  const found: DockerfileFindings = {
    ports: [],
    copiesAll: false,
    hints: { requirements: [], project: false, poetry: false, uvSync: false },
    apt: [],
    depsLines: [],
    aptLines: [],
    scriptCopies: [],
  };
  const text = repo.read(name);
  if (text === undefined) return found;
  const df = parseDockerfile(name, text);
  for (const p of df.problems) map(carry, { file: name, line: p.line, text: '' }, 'needs you', `the Dockerfile does not parse: ${p.message}`);
  const final = df.stages[df.stages.length - 1];
  const flags = (i: Instruction) =>
    Object.entries(i.flags)
      .flatMap(([k, vs]) => vs.map((v) => (v ? `--${k}=${v} ` : `--${k} `)))
      .join('');
  const src = (i: Instruction): Source => ({ file: name, line: i.line, text: short(`${i.cmd} ${flags(i)}${i.args}`) });
  const usedInFrom = new Set(df.stages.flatMap((s) => [...s.from.args.matchAll(/\$\{?(\w+)/g)].map((m) => m[1] as string)));
  for (const ins of df.all) {
    const from = src(ins);
    const inFinal = final?.instructions.includes(ins) || final?.from === ins;
    switch (ins.cmd) {
      case 'ARG':
        if (!df.stages.some((s) => s.instructions.includes(ins)) && usedInFrom.has(ins.args.split('=')[0]?.trim() ?? ''))
          map(carry, from, 'template', 'read to resolve the FROM image');
        else map(carry, from, 'not carried', 'a build-time variable of the old Dockerfile; the new one takes its settings from tasks.config.ts');
        break;
      case 'FROM':
        fromLine(from, inFinal === true, final?.image ?? '', carry, found);
        break;
      case 'WORKDIR':
        if (inFinal) found.workdir = ins.args.trim();
        map(
          carry,
          from,
          'template',
          ins.args.trim() === '/app' ? 'WORKDIR /app' : `the app lives in /app now (paths under ${ins.args.trim()} in commands are rewritten)`,
        );
        break;
      case 'COPY':
      case 'ADD':
        copyLine(ins, from, carry, found, repo);
        break;
      case 'RUN': {
        const r = classifyRun(ins.args, found.hints);
        if (r.unknown.length > 0) map(carry, from, 'needs you', `the template does not run ${r.unknown.join('; ')}`);
        else if (r.apt.length > 0 || r.deps) {
          found.apt.push(...r.apt);
          if (r.apt.length > 0) found.aptLines.push(from);
          if (r.deps) found.depsLines.push(from);
        } else map(carry, from, 'template', 'the template installs, cleans up and creates its user (appuser, uid 1001) itself');
        break;
      }
      case 'ENV':
        for (const [key, value] of envPairs(ins.args)) envLine(key, value, from, carry);
        break;
      case 'EXPOSE':
        for (const p of ins.args.split(/\s+/).map((x) => x.replace(/\/tcp$/, ''))) if (/^\d+$/.test(p)) found.ports.push({ port: p, from });
        break;
      case 'CMD':
      case 'ENTRYPOINT':
        if (inFinal) found[ins.cmd === 'CMD' ? 'cmd' : 'entrypoint'] = { command: parseInstructionCommand(ins.args), from };
        else map(carry, from, 'not carried', 'in a build stage, it never runs');
        break;
      case 'USER':
        map(carry, from, 'template', 'the app runs as appuser (uid 1001), not root');
        break;
      case 'HEALTHCHECK': {
        const h = splitHealthcheck(ins.args);
        const options = { ...Object.fromEntries(Object.entries(ins.flags).map(([k, v]) => [k, v[0] ?? ''])), ...h.options };
        if (h.none) map(carry, from, 'not carried', 'the template keeps a health check: docker-run waits for it');
        else found.health = { ...healthOf(h.command, options), from };
        break;
      }
      case 'LABEL':
      case 'MAINTAINER':
        map(carry, from, 'not carried', 'metadata; the tasks label the image with its source revision and date');
        break;
      case 'VOLUME':
        map(carry, from, 'not carried', 'an anonymous volume; the compose file names the volumes that keep data');
        carry.warnings.push(`${from.file}:${from.line}: ${from.text} made an anonymous volume: name it in the compose file if the data matters`);
        break;
      case 'STOPSIGNAL':
        carry.app.stop_signal = ins.args.trim();
        map(carry, from, 'carried', `stop_signal: ${ins.args.trim()} (compose)`);
        break;
      default:
        map(carry, from, 'needs you', `${ins.cmd} has no counterpart in the template`);
    }
  }
  settleScripts(carry, found);
  return found;
}

function fromLine(from: Source, isFinal: boolean, finalImage: string, carry: Carry, found: DockerfileFindings): void {
  if (!isFinal) {
    map(carry, from, 'template', 'a build stage: the template builds the venv in its own dependencies stage');
    return;
  }
  const image = finalImage;
  const m = /^(?:docker\.io\/)?(?:library\/)?python:(\d+(?:\.\d+)*)(-[\w.-]+)?$/.exec(image);
  if (!m) {
    map(carry, from, 'needs you', `${image || 'the base image'} is not a python image: the template builds on python:<version>-slim (set PYTHON_IMAGE)`);
    return;
  }
  const variant = m[2] ?? '';
  const chosen = /alpine/.test(variant) ? `python:${m[1]}-slim` : image.replace(/^(docker\.io\/)?(library\/)?/, '');
  if (chosen !== image.replace(/^(docker\.io\/)?(library\/)?/, ''))
    carry.warnings.push(`${from.file}:${from.line}: ${image} is Alpine-based; the template needs Debian, so PYTHON_IMAGE is ${chosen}`);
  found.python = { image: chosen, from };
}

function copyLine(ins: Instruction, from: Source, carry: Carry, found: DockerfileFindings, repo: RepoFiles): void {
  if (ins.flags.from) {
    map(carry, from, 'template', 'copies from a build stage: the template copies its venv the same way');
    return;
  }
  const parts = (ins.args.startsWith('[') ? (JSON.parse(ins.args) as string[]) : ins.args.split(/\s+/)).filter(Boolean);
  const sources = parts.slice(0, -1);
  if (ins.cmd === 'ADD' && sources.some((s) => /^https?:\/\//.test(s))) {
    map(carry, from, 'needs you', 'ADD of a URL: download it in your code or vendor the file');
    return;
  }
  if (sources.every((s) => MANIFEST.test(s))) map(carry, from, 'template', 'the dependencies stage copies the manifests first');
  else if (sources.every((s) => /^(\.\/)?src\/?$/.test(s))) map(carry, from, 'template', 'APP_SOURCE=src: the template copies src/');
  else if (sources.every((s) => isScript(s, repo))) found.scriptCopies.push({ from, sources });
  else {
    found.copiesAll = true;
    map(carry, from, 'carried', 'APP_SOURCE=. (the whole build context, after .dockerignore)');
  }
}

function isScript(source: string, repo: RepoFiles): boolean {
  const rel = source.replace(/^\.\//, '');
  const text = repo.read(rel);
  return text !== undefined && (/\.(sh|bash)$/.test(rel) || text.startsWith('#!'));
}

/** A copied script is the entrypoint's (judged with the ENTRYPOINT) or part of the app (the whole context is copied). */
function settleScripts(carry: Carry, found: DockerfileFindings): void {
  const ep = found.entrypoint?.command;
  const first = ep ? (ep.form === 'exec' ? (ep.argv[0] ?? '') : (ep.text.split(/\s+/)[0] ?? '')) : '';
  for (const c of found.scriptCopies) {
    if (first && c.sources.every((s) => first.endsWith(s.replace(/^\.\//, '').split('/').pop() ?? s)))
      map(carry, c.from, 'template', 'see the ENTRYPOINT line');
    else {
      found.copiesAll = true;
      map(carry, c.from, 'carried', 'APP_SOURCE=. (the whole build context, after .dockerignore)');
    }
  }
}

/** `ENV A=1 B="two words"` and the old `ENV A 1` form. */
export function envPairs(args: string): [string, string][] {
  const text = args.trim();
  const old = /^([A-Za-z_]\w*)\s+(?!\S*=)(.*)$/s.exec(text);
  if (old && !text.split(/\s+/)[0]?.includes('=')) return [[old[1] as string, (old[2] as string).trim()]];
  const out: [string, string][] = [];
  const re = /([A-Za-z_]\w*)=("(?:[^"\\]|\\.)*"|'[^']*'|(?:[^\s\\]|\\.)*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let v = m[2] as string;
    if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    else if (v.startsWith("'")) v = v.slice(1, -1);
    else v = v.replace(/\\(.)/g, '$1');
    out.push([m[1] as string, v]);
  }
  return out;
}

function envLine(key: string, value: string, from: Source, carry: Carry): void {
  if (TEMPLATE_ENV.test(key)) {
    map(carry, { ...from, text: `ENV ${key}=...` }, 'template', `the template sets ${key} itself`);
    return;
  }
  const secret = isSecret(key, value);
  const shown = { ...from, text: `ENV ${key}=${secret ? '<secret>' : short(value, 60)}` };
  if (secret) {
    carry.secrets.push({ key, value, from });
    carry.vars.set(key, { key, secret: true, required: true, description: `Secret, moved from ${from.file}:${from.line} (an ENV line) to .env.`, toApp: true });
    map(carry, shown, 'carried', `${key} in .env (mode 0600, never in the image); a required secret of tasks.config.ts env`);
    return;
  }
  carry.vars.set(key, { key, value, secret: false, required: false, description: `From ${from.file}:${from.line}.`, toApp: true });
  map(carry, shown, 'carried', `${key} (tasks.config.ts env, default ${JSON.stringify(value)}; the app's compose environment)`);
}
