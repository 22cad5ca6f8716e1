/**
 * Splits the command line into global flags, the task name and the task's own arguments, by the rule in
 * model/global-flags.ts: run flags are read before and after the task name (never after `--`), command flags
 * (`--list`, `--json`, `--version`, `--dir`) only before it. A `--` before the task name ends the global flags and
 * the next word is the task (`pnpm task -- env-check`); after the task name, `--` passes the rest to the task.
 */
import { ErrorCode, usageError } from '../errors.ts';
import { GLOBAL_FLAGS, type GlobalFlag, GRAPH_FORMATS, type GraphFormat, OUTPUT_MODES, type OutputMode } from '../model/global-flags.ts';
import { quoteInput } from '../text/quote.ts';
import { suggest } from '../text/suggest.ts';

export { GLOBAL_FLAGS, OUTPUT_MODES, type OutputMode };

export interface GlobalOptions {
  list: boolean;
  json: boolean;
  help: boolean;
  version: boolean;
  dryRun: boolean;
  yes: boolean;
  verbose: boolean;
  dir?: string;
  output: OutputMode;
  envFiles: string[];
  /** `-j N`; undefined: the number of cores. */
  jobs?: number;
  keepGoing: boolean;
  force: boolean;
  status: boolean;
  watch: boolean;
  graph?: GraphFormat;
}

export interface ParsedArgv {
  global: GlobalOptions;
  task?: string;
  taskArgs: string[];
}

const ALL = GLOBAL_FLAGS.flatMap((g) => g.flags);

export function parseArgv(argv: readonly string[]): ParsedArgv {
  const global: GlobalOptions = {
    list: false,
    json: false,
    help: false,
    version: false,
    dryRun: false,
    yes: false,
    verbose: false,
    output: 'auto',
    envFiles: [],
    keepGoing: false,
    force: false,
    status: false,
    watch: false,
  };
  let task: string | undefined;
  const taskArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      if (task !== undefined) {
        taskArgs.push(...argv.slice(i));
        break;
      }
      // Before the task name: the next word that is not another `--` is the task, whatever it looks like.
      const next = argv.slice(i + 1).findIndex((a) => a !== '--');
      if (next < 0) break;
      task = argv[i + 1 + next] as string;
      i += 1 + next;
      continue;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : shortWithValue(arg);
    const found = GLOBAL_FLAGS.find((g) => g.flags.includes(name));
    const spec = found && task !== undefined && found.beforeTaskOnly ? undefined : found;
    if (!spec) {
      if (task === undefined && !arg.startsWith('-')) task = arg;
      else if (task === undefined) throw unknownFlag(name);
      else taskArgs.push(arg);
      continue;
    }
    let value: string | undefined;
    if (spec.value) {
      value = inline ?? argv[++i];
      // `-j -1` is a bad number, not a missing one: say what was wrong with it (apply does).
      const negative = spec.flags[0] === '--jobs' && value !== undefined && /^-\d+$/.test(value);
      if (value === undefined || (inline === undefined && value.startsWith('-') && !negative)) {
        throw usageError(ErrorCode.badFlag, `${name} needs a value: ${spec.help}.`);
      }
    } else if (inline !== undefined) {
      throw usageError(ErrorCode.badFlag, `${name} is a switch and takes no value; give ${name} alone.`);
    }
    apply(global, spec, value);
  }
  checkModes(global);
  return { global, task, taskArgs };
}

/** Each picks what a run does instead of running it; given two, main would follow one and ignore the other. */
const MODES = [
  ['--status', (g: GlobalOptions) => g.status],
  ['--watch', (g: GlobalOptions) => g.watch],
  ['--dry-run', (g: GlobalOptions) => g.dryRun],
  ['--graph', (g: GlobalOptions) => g.graph !== undefined],
] as const;

function checkModes(g: GlobalOptions): void {
  const given = MODES.filter(([, on]) => on(g)).map(([flag]) => flag);
  if (given.length < 2) return;
  throw usageError(
    ErrorCode.badFlag,
    `${given.join(' and ')} cannot be used together: each says what the run does instead of running it (${MODES.map(([f]) => f).join(', ')}). Give one of them.`,
  );
}

/** `-j4` is `-j 4`, as make and the shells' getopt read it: a one-letter run flag that takes a value. */
function shortWithValue(arg: string): [string, string | undefined] {
  if (/^-[A-Za-z]./.test(arg) && GLOBAL_FLAGS.some((g) => g.value && !g.beforeTaskOnly && g.flags.includes(arg.slice(0, 2))))
    return [arg.slice(0, 2), arg.slice(2)];
  return [arg, undefined];
}

function unknownFlag(name: string) {
  const hint = suggest(
    name.replace(/^-+/, ''),
    ALL.map((f) => f.replace(/^-+/, '')),
  );
  return usageError(
    ErrorCode.unknownFlag,
    `unknown flag ${quoteInput(name)}.${hint ? ` Did you mean ${ALL.find((f) => f.replace(/^-+/, '') === hint)}?` : ''} Global flags come before the task name; run \`task --help\` for them.`,
  );
}

function apply(g: GlobalOptions, spec: GlobalFlag, value: string | undefined): void {
  switch (spec.flags[0]) {
    case '--list':
      g.list = true;
      break;
    case '--json':
      g.json = true;
      break;
    case '--help':
      g.help = true;
      break;
    case '--version':
      g.version = true;
      break;
    case '--dry-run':
      g.dryRun = true;
      break;
    case '--yes':
      g.yes = true;
      break;
    case '--verbose':
      g.verbose = true;
      break;
    case '-C':
    case '--dir':
      if (value === '')
        throw usageError(ErrorCode.badFlag, `${spec.flags[0]} needs a folder, and got an empty word (''). Give the folder to run in (-C path/to/repo).`);
      g.dir = value;
      break;
    case '--env-file':
      g.envFiles.push(value as string);
      break;
    case '--keep-going':
      g.keepGoing = true;
      break;
    case '--force':
      g.force = true;
      break;
    case '--status':
      g.status = true;
      break;
    case '--watch':
      g.watch = true;
      break;
    case '--jobs':
      if (!/^\d+$/.test(value as string) || Number(value) < 1) {
        throw usageError(
          ErrorCode.badFlag,
          `${spec.flags.join('/')} got ${quoteInput(value ?? '')}: give the number of steps to run at once, a whole number of 1 or more (-j 4).`,
        );
      }
      g.jobs = Number(value);
      break;
    case '--graph':
      if (!(GRAPH_FORMATS as readonly string[]).includes(value as string)) {
        throw usageError(ErrorCode.badFlag, `--graph got ${quoteInput(value ?? '')}, expected one of ${GRAPH_FORMATS.join(', ')} (task --graph mermaid NAME).`);
      }
      g.graph = value as GraphFormat;
      break;
    case '--output':
      if (!(OUTPUT_MODES as readonly string[]).includes(value as string)) {
        throw usageError(ErrorCode.badFlag, `--output got ${quoteInput(value ?? '')}, expected one of ${OUTPUT_MODES.join(', ')}.`);
      }
      g.output = value as OutputMode;
      break;
  }
}

/**
 * The output mode asked for, read leniently from argv: a usage error found while parsing is still reported in
 * the mode the person asked for (a JSON consumer gets a JSON error event).
 */
export function outputModeHint(argv: readonly string[]): OutputMode {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') break;
    const value = a === '--output' ? argv[i + 1] : a.startsWith('--output=') ? a.slice('--output='.length) : undefined;
    if (value && (OUTPUT_MODES as readonly string[]).includes(value)) return value as OutputMode;
  }
  return 'auto';
}
