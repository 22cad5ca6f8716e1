/**
 * Completion candidates for the words typed so far (`task __complete -- <words>`): task names, flags, and values
 * where they are known (enum choices such as --target's stages, backup ids for restore). The shell scripts of
 * `task completion <shell>` call it; it prints one candidate per line and never fails loudly.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Registry } from '../registry/registry.ts';
import { GLOBAL_FLAGS } from './argv.ts';

const GLOBAL_WITH_VALUE = new Set(GLOBAL_FLAGS.filter((g) => g.value).flatMap((g) => g.flags as readonly string[]));

export async function completions(words: readonly string[], registry: Registry, cwd: string): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const prev = before.at(-1);
  if (prev === '--output') return ['tty', 'plain', 'json'].filter((c) => c.startsWith(current));
  if (prev && GLOBAL_WITH_VALUE.has(prev)) return [];
  const name = before.find((w, i) => !w.startsWith('-') && !(i > 0 && GLOBAL_WITH_VALUE.has(before[i - 1] as string)));
  const globals = GLOBAL_FLAGS.flatMap((g) => g.flags as readonly string[]).filter((f) => f.startsWith('--'));
  if (!name) return (current.startsWith('-') ? globals : registry.tasks.map((t) => t.name)).filter((c) => c.startsWith(current)).sort();
  const task = await registry.load(name).catch(() => undefined);
  if (!task) return [];
  const { flagsOf } = await import('../model/options.ts');
  const flags = flagsOf(task.options);
  const prevFlag = flags.find((f) => `--${f.flag}` === prev);
  if (prevFlag) {
    if (prevFlag.choices) return prevFlag.choices.filter((c) => c.startsWith(current));
    return prevFlag.key === 'id' || prevFlag.key === 'verify' ? backupIds(cwd, current) : [];
  }
  if (current.startsWith('-')) {
    const own = flags.flatMap((f) => (f.type === 'boolean' ? [`--${f.flag}`, `--no-${f.flag}`] : [`--${f.flag}`]));
    return [...own, ...globals].filter((c) => c.startsWith(current));
  }
  if (task.positional.includes('id')) return backupIds(cwd, current);
  return [];
}

function backupIds(cwd: string, prefix: string): string[] {
  const dirs = [path.join(cwd, '.backups')];
  const out: string[] = [];
  for (const d of dirs)
    if (existsSync(d))
      for (const id of readdirSync(d)) if (/^\d{8}T/.test(id) && id.startsWith(prefix) && existsSync(path.join(d, id, 'manifest.json'))) out.push(id);
  return out.sort();
}

export const COMPLETION_SCRIPTS = {
  bash: `# bash completion for task (promtior-tasks): source it, or save it as /etc/bash_completion.d/task
_promtior_task() {
  local IFS=$'\\n' cmd="\${COMP_WORDS[0]}"
  COMPREPLY=( $("$cmd" __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) )
}
complete -o default -F _promtior_task task ./task
`,
  zsh: `#compdef task
# zsh completion for task (promtior-tasks): save as _task in a folder on $fpath, or source it
_promtior_task() {
  local -a candidates
  candidates=("\${(@f)$("\${words[1]}" __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -a candidates
}
compdef _promtior_task task ./task
`,
  fish: `# fish completion for task (promtior-tasks): save as ~/.config/fish/completions/task.fish
complete -c task -f -a '(task __complete -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`,
} as const;
