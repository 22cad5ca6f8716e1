/** Shell-ready text of a command, for --dry-run and logs: `cd DIR && KEY=value cmd 'arg with space'`. */
import type { CommandSpec } from '../model/steps.ts';

export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(spec: CommandSpec, baseCwd?: string): string {
  const env = Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
  const line = [...env, ...spec.argv.map(shellQuote)].join(' ');
  const input = spec.input !== undefined ? ' <<< (stdin)' : '';
  return baseCwd !== undefined && spec.cwd !== baseCwd ? `(cd ${shellQuote(spec.cwd)} && ${line}${input})` : `${line}${input}`;
}
