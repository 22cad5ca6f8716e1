/**
 * A Dockerfile RUN line, command by command: what installs system packages (carried as APT_PACKAGES), what
 * installs the Python dependencies (the dependency style), what the template already does, and what it does not.
 */
import { shellWords, splitCommands, withoutAssignments } from '../read/shell.ts';

/** What the RUN lines say about the dependencies. */
export interface DepsHints {
  requirements: string[];
  /** `pip install .` or `-e .`, `python setup.py install`. */
  project: boolean;
  poetry: boolean;
  uvSync: boolean;
}

export interface RunVerdict {
  /** Debian packages installed (carried as APT_PACKAGES). */
  apt: string[];
  /** It installs the Python dependencies (carried as APP_DEPS). */
  deps: boolean;
  /** Commands the template does not do, each with why. */
  unknown: string[];
}

const TOOLING = /^(pip|setuptools|wheel|uv|poetry|poetry-core|pipenv|virtualenv)([<>=!~].*)?$/i;

/** A heredoc RUN (`RUN <<EOF` ... `EOF`) is its body: a script of commands, one per line. */
function body(text: string): string {
  const m = /^<<-?\s*["']?(\w+)["']?[^\n]*\n([\s\S]*?)\n\s*\1\s*$/.exec(text.trim());
  return m ? (m[2] as string) : text;
}

export function classifyRun(text: string, hints: DepsHints): RunVerdict {
  const out: RunVerdict = { apt: [], deps: false, unknown: [] };
  for (const command of splitCommands(body(text))) {
    const parsed = shellWords(command);
    if (!parsed.ok) {
      out.unknown.push(`\`${command}\` (${parsed.why})`);
      continue;
    }
    const words = withoutAssignments(parsed.words);
    const [tool = '', sub = ''] = words;
    if (words.length === 0 || ['true', ':', 'echo', 'set'].includes(tool)) continue;
    if (/^apt(-get)?$/.test(tool) && ['update', 'clean', 'autoclean', 'autoremove', 'upgrade', 'dist-upgrade'].includes(sub)) continue;
    if (/^apt(-get)?$/.test(tool) && sub === 'install')
      out.apt.push(
        ...words
          .slice(2)
          .filter((w) => !w.startsWith('-'))
          .map((w) => w.replace(/=.*$/, '')),
      );
    else if (tool === 'rm' && words.every((w, i) => i === 0 || w.startsWith('-') || /\/var\/lib\/apt\/lists|\/root\/\.cache|\/tmp\/|__pycache__|\.pyc/.test(w)))
      continue;
    else if (['useradd', 'adduser', 'groupadd', 'addgroup', 'chown', 'chmod', 'mkdir'].includes(tool)) continue;
    else if (tool === 'apk') out.unknown.push(`\`${command}\` (Alpine's apk: the template is Debian-based; list the Debian names in APT_PACKAGES)`);
    else {
      const pip = pipArgs(words);
      if (pip) classifyPip(command, pip, hints, out);
      else if (tool === 'poetry' && ['install', 'config', 'self'].includes(sub)) {
        hints.poetry = true;
        out.deps = true;
      } else if (tool === 'uv' && sub === 'sync') {
        hints.uvSync = true;
        out.deps = true;
      } else if (/^python[\d.]*$/.test(tool) && sub === 'setup.py' && words[2] === 'install') {
        hints.project = true;
        out.deps = true;
      } else out.unknown.push(`\`${command}\``);
    }
  }
  return out;
}

/** The arguments after `pip install` (pip, pip3, python -m pip, uv pip), or undefined for another command. */
function pipArgs(words: readonly string[]): string[] | undefined {
  const [a = '', b = '', c = '', d = ''] = words;
  if (/^pip[\d.]*$/.test(a) && b === 'install') return words.slice(2);
  if (/^python[\d.]*$/.test(a) && b === '-m' && c === 'pip' && d === 'install') return words.slice(4);
  if (a === 'uv' && b === 'pip' && c === 'install') return words.slice(3);
  return undefined;
}

function classifyPip(command: string, args: string[], hints: DepsHints, out: RunVerdict): void {
  const named: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-r' || a === '--requirement') hints.requirements.push(args[++i] ?? '');
    else if (a.startsWith('--requirement=')) hints.requirements.push(a.slice('--requirement='.length));
    else if (a === '-e' || a === '--editable') {
      const target = args[++i] ?? '';
      if (/^\.\/?$/.test(target)) hints.project = true;
      else named.push(target);
    } else if (/^\.\/?(\[.*\])?$/.test(a)) hints.project = true;
    else if (['--python', '-c', '--constraint', '--index-url', '-i', '--extra-index-url', '--target', '-t'].includes(a)) i++;
    else if (!a.startsWith('-')) named.push(a);
  }
  const real = named.filter((n) => !TOOLING.test(n));
  if (real.length > 0) out.unknown.push(`\`${command}\` (installs ${real.join(', ')} outside a requirements file or pyproject.toml: list them there)`);
  else if (args.some((a) => a === '-r' || a.startsWith('--requirement') || a === '-e' || /^\.\/?(\[.*\])?$/.test(a))) out.deps = true;
}
