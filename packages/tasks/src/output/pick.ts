/** Picks the output strategy by name; `auto` means tty in a terminal, plain when piped or when CI is set. */
import type { OutputMode } from '../model/global-flags.ts';
import { jsonReporter } from './json.ts';
import { plainReporter } from './plain.ts';
import type { Reporter } from './reporter.ts';

export function resolveMode(mode: OutputMode, env: Readonly<Record<string, string | undefined>>, isTTY: boolean): Exclude<OutputMode, 'auto'> {
  if (mode !== 'auto') return mode;
  return isTTY && !env.CI && env.TERM !== 'dumb' ? 'tty' : 'plain';
}

export async function pickReporter(
  mode: Exclude<OutputMode, 'auto'>,
  opts: { mask: (t: string) => string; verbose: boolean; env: Readonly<Record<string, string | undefined>>; toStderr?: boolean },
): Promise<Reporter> {
  // When the task's product is data on stdout, everything else goes to stderr so the data stays parseable.
  const stream = opts.toStderr ? process.stderr : process.stdout;
  const write = (text: string) => {
    stream.write(text);
  };
  if (mode === 'json') return jsonReporter(write, opts.mask);
  if (mode === 'plain') return plainReporter(write, opts.mask, { verbose: opts.verbose, github: opts.env.GITHUB_ACTIONS === 'true' });
  // listr2 is loaded only when a terminal will show it.
  const { ttyReporter } = await import('./tty.ts');
  return ttyReporter(write, opts.mask, { verbose: opts.verbose });
}
