/**
 * How the old image started its service (ENTRYPOINT and CMD, or a compose `command:`), as the template's settings:
 * a module (`python -m x` → APP_MODULE), else a command line (APP_COMMAND). What cannot be one process started by
 * one command (a list of commands, something in the background, a process supervisor, an entrypoint script that
 * does more than exec its arguments) is returned as "needs you", with the lines that say so.
 */
import type { RepoFiles } from '../read/repo.ts';
import { shellJoin, shellWords, splitCommands, withoutAssignments } from '../read/shell.ts';
import type { Source } from './types.ts';

/** CMD or ENTRYPOINT as written: exec form (a JSON array) or shell form. */
export type Command = { form: 'exec'; argv: string[] } | { form: 'shell'; text: string };

export type Start = { ok: true; module?: string; command?: string; notes: string[] } | { ok: false; why: string[] };

const SUPERVISORS = /^(supervisord|honcho|foreman|circusd|s6-svscan|runsvdir|pm2|pm2-runtime)$/;

export function parseInstructionCommand(args: string): Command {
  const text = args.trim();
  if (text.startsWith('[')) {
    try {
      const argv = JSON.parse(text) as unknown;
      if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) return { form: 'exec', argv };
    } catch {
      // Not JSON: Docker runs it in shell form.
    }
  }
  return { form: 'shell', text };
}

/** ENTRYPOINT and CMD combined as Docker does: a shell-form ENTRYPOINT ignores CMD. */
export function startOf(
  entrypoint: { command: Command; from: Source } | undefined,
  cmd: { command: Command; from: Source } | undefined,
  repo: RepoFiles,
  oldWorkdir: string | undefined,
  scripts: Readonly<Record<string, string>>,
): Start {
  let argv: string[] | undefined;
  const notes: string[] = [];
  if (entrypoint) {
    const ep = entrypoint.command.form === 'exec' ? entrypoint.command.argv : words(entrypoint.command.text);
    if (!ep) return { ok: false, why: [`${where(entrypoint.from)}: the ENTRYPOINT is a shell command list, not one process`] };
    const script = entrypointScript(ep[0] ?? '', repo, oldWorkdir);
    if (script) {
      const extra = scriptWork(script.text);
      if (extra.length > 0) {
        // The CMD is judged too, so that everything that needs a person is listed at once.
        const alone = cmd ? startOf(undefined, cmd, repo, oldWorkdir, scripts) : undefined;
        return {
          ok: false,
          why: [
            `${where(entrypoint.from)}: the ENTRYPOINT script ${script.path} does more than exec its arguments`,
            ...extra.map((l) => `${script.path}:${l.line}: ${l.text}`),
            ...(alone && !alone.ok ? alone.why : []),
          ],
        };
      }
      notes.push(`${script.path} only execs its arguments: not needed`);
      argv = [...ep.slice(1), ...(cmd?.command.form === 'exec' ? cmd.command.argv : (words(cmd?.command.text ?? '') ?? []))];
    } else if (entrypoint.command.form === 'shell') argv = ep;
    else argv = [...ep, ...(cmd ? (cmd.command.form === 'exec' ? cmd.command.argv : ['/bin/sh', '-c', cmd.command.text]) : [])];
  } else if (cmd) {
    argv = cmd.command.form === 'exec' ? cmd.command.argv : words(cmd.command.text);
    if (!argv) return { ok: false, why: [`${where(cmd.from)}: the CMD runs several commands (or in the background): one container runs one process`] };
  }
  if (!argv || argv.length === 0) return { ok: true, notes };
  return fromArgv(argv, cmd?.from ?? (entrypoint as { from: Source }).from, oldWorkdir, scripts, notes);
}

/** A compose `command:` (string or list) in the same terms. */
export function composeStart(value: unknown, from: Source, oldWorkdir: string | undefined, scripts: Readonly<Record<string, string>>): Start {
  const argv = Array.isArray(value) ? value.map(String) : words(String(value));
  if (!argv) return { ok: false, why: [`${where(from)}: the command runs several commands (or in the background): one container runs one process`] };
  return fromArgv(argv, from, oldWorkdir, scripts, []);
}

function fromArgv(argv: string[], from: Source, oldWorkdir: string | undefined, scripts: Readonly<Record<string, string>>, notes: string[]): Start {
  // `sh -c "..."`: what the shell runs.
  if (/^(\/bin\/|\/usr\/bin\/)?(ba|da)?sh$/.test(argv[0] ?? '') && argv[1] === '-c' && argv[2] !== undefined) {
    const inner = words(argv[2]);
    if (!inner) return { ok: false, why: [`${where(from)}: \`${argv[2]}\` runs several commands (or in the background): one container runs one process`] };
    argv = inner;
  }
  argv = withoutAssignments(argv);
  if (argv[0] === 'exec') argv = argv.slice(1);
  const tool = (argv[0] ?? '').split('/').pop() ?? '';
  if (SUPERVISORS.test(tool))
    return { ok: false, why: [`${where(from)}: ${tool} starts several processes in one container: give each its own compose service`] };
  if (argv.length === 0) return { ok: true, notes };
  argv = argv.map((a) => rewriteWorkdir(a, oldWorkdir));
  const py = /^python[\d.]*$/.test(tool);
  if (py && argv[1] === '-m' && argv[2] && argv.length === 3) return { ok: true, module: argv[2], notes };
  const script = scripts[tool];
  if (script && /^[\w.]+:[\w.]+$/.test(script)) {
    const [mod, fn] = script.split(':');
    notes.push(`${tool} is the project's console script (${script}): run through python3, as the project itself is not installed`);
    const call = `import sys; from ${mod} import ${fn}; sys.argv[0] = ${JSON.stringify(tool)}; sys.exit(${fn}())`;
    return { ok: true, command: shellJoin(['python3', '-c', call, ...argv.slice(1)]), notes };
  }
  return { ok: true, command: shellJoin(argv), notes };
}

/** Paths under the old WORKDIR move to /app, the template's. */
export function rewriteWorkdir(word: string, oldWorkdir: string | undefined): string {
  if (!oldWorkdir || oldWorkdir === '/app' || oldWorkdir === '/') return word;
  const base = oldWorkdir.replace(/\/$/, '');
  return word === base ? '/app' : word.startsWith(`${base}/`) ? `/app/${word.slice(base.length + 1)}` : word;
}

function words(text: string): string[] | undefined {
  const commands = splitCommands(text);
  if (commands.length !== 1) return undefined;
  const parsed = shellWords(commands[0] as string);
  return parsed.ok ? parsed.words : undefined;
}

function where(s: Source): string {
  return `${s.file}:${s.line}`;
}

/** The entrypoint as a script of the repo (`./entrypoint.sh`, `/app/docker-entrypoint.sh`), if it is one. */
function entrypointScript(first: string, repo: RepoFiles, oldWorkdir: string | undefined): { path: string; text: string } | undefined {
  const candidates = [first.replace(/^\.?\/+/, '')];
  if (oldWorkdir && first.startsWith(`${oldWorkdir.replace(/\/$/, '')}/`)) candidates.push(first.slice(oldWorkdir.replace(/\/$/, '').length + 1));
  for (const c of candidates) {
    const text = c && !c.includes('..') ? repo.read(c) : undefined;
    if (text !== undefined && (/\.(sh|bash)$/.test(c) || text.startsWith('#!'))) return { path: c, text };
  }
  return undefined;
}

/** The lines of an entrypoint script that do work besides `exec "$@"`: shebang, comments, `set -e` do not count. */
function scriptWork(text: string): { line: number; text: string }[] {
  return text
    .split('\n')
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== '' && !l.text.startsWith('#') && !/^set\s+-[euxo\s\w]*$/.test(l.text) && !/^exec\s+"\$@"$/.test(l.text));
}
