/** Shell-ready text of a command, for --dry-run and logs: `KEY=value cmd 'arg with space'`. */
import type { Arg, CommandSpec } from '../model/steps.ts';

export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** An argument known only at run time is shown as its placeholder (`<backup-id>`), unquoted. */
export function formatCommand(spec: Pick<CommandSpec, 'env' | 'input'> & { argv: readonly Arg[] }): string {
  const env = Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
  const line = [...env, ...spec.argv.map((a) => (typeof a === 'string' ? shellQuote(a) : a.shown))].join(' ');
  return spec.input !== undefined ? `${line} <<< (stdin)` : line;
}
