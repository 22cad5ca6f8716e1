/**
 * For tests: the warnings the incremental comparison (DotenvComparison, what `load` uses) gives for a text, next to
 * those of the whole-file comparison (portabilityWarnings), each as sorted `KEY@line` of the last entry of its key.
 */
import { DotenvComparison } from './dotenv-comparison.ts';
import { type EnvEntry, normalizeDotenv, scanDotenv } from './parse.ts';
import { portabilityWarnings } from './portability.ts';

/** Both lists, or undefined when compose rejects a line (then what dotenv makes of it is not compared). */
export function bothComparisons(text: string): { shortcut: string[]; whole: string[] } | undefined {
  const src = normalizeDotenv(text);
  const entries: EnvEntry[] = [];
  const found: EnvEntry[] = [];
  let problems = 0;
  const compare = new DotenvComparison(src, (e) => found.push(e));
  scanDotenv(src, {
    normalized: true,
    onEntry: (e) => {
      entries.push(e);
      compare.add(e);
    },
    onProblem: (_make, offset) => {
      problems++;
      compare.problem(offset);
    },
  });
  compare.finish();
  if (problems > 0) return undefined;
  const last = new Map(entries.map((e) => [e.key, e]));
  // By where the entry starts, not by identity: the comparison rebuilds a plainly compared entry from numbers when it
  // compares it again with dotenv's reading of the whole chunk.
  const shortcut = found.filter((e) => last.get(e.key)?.offset === e.offset).map((e) => `${e.key}@${e.line}`);
  const whole = portabilityWarnings(src, entries).map((w) => `${w.key}@${w.line}`);
  return { shortcut: shortcut.sort(), whole: whole.sort() };
}
