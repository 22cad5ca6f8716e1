/** Shell-ready text of a command, for --dry-run and logs: `KEY=value cmd 'arg with space'`. */
import type { CommandSpec } from '../model/steps.ts';

export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(spec: Pick<CommandSpec, 'argv' | 'env' | 'input'>): string {
  const env = Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
  const line = [...env, ...spec.argv.map(shellQuote)].join(' ');
  return spec.input !== undefined ? `${line} <<< (stdin)` : line;
}
