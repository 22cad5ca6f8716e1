/** Text for `--help`, `NAME --help` and `--list`, made from the same declarations that parse the flags. */
import { describeType, flagsOf } from '../model/options.ts';
import type { Task } from '../model/task.ts';
import { GLOBAL_FLAGS } from './argv.ts';

export function globalHelp(): string {
  const flags = GLOBAL_FLAGS.map((g) => `  ${`${g.flags.join(', ')}${g.value ? ' VALUE' : ''}`.padEnd(24)}${g.help}`);
  return ['Usage: task [global flags] <task> [task flags]', '', 'Global flags:', ...flags, '', 'Tasks:'].join('\n');
}

export function taskHelp(task: Task, source: string): string {
  const flags = flagsOf(task.options);
  const usage = [`task ${task.name}`, ...(task.positional ?? []).map((p) => `[${p}]`), flags.length > 0 ? '[flags]' : ''].filter(Boolean).join(' ');
  const lines = [`${task.name}: ${task.description}`, `(${source})`, '', `Usage: ${usage}`];
  if (flags.length > 0) {
    lines.push('', 'Flags:');
    for (const f of flags) {
      const name = `${f.short ? `-${f.short}, ` : ''}--${f.flag}${f.type === 'boolean' ? '' : ` <${f.type === 'enum' ? (f.choices ?? []).join('|') : 'value'}>`}`;
      const extra = [
        f.required ? 'required' : '',
        f.default !== undefined && !(Array.isArray(f.default) && f.default.length === 0) ? `default: ${String(f.default)}` : '',
      ].filter(Boolean);
      lines.push(`  ${name.padEnd(33)} ${f.description || describeType(f)}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`);
    }
  }
  // Read defensively: the task model grows (deps, needs), and a task file may come from another version.
  const deps = (task.deps ?? []).map((d) => (typeof d === 'string' ? d : 'plan' in d ? d.name : typeof d.task === 'string' ? d.task : d.task.name));
  if (deps.length > 0) lines.push('', `Runs first: ${deps.join(', ')}`);
  if ((task.examples ?? []).length > 0) lines.push('', 'Examples:', ...task.examples.map((e) => `  ${e}`));
  lines.push('', 'Global flags (--dry-run, -C DIR, --yes, --verbose, --output, --env-file) work with every task: see `task --help`.');
  return lines.join('\n');
}
