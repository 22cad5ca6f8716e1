/**
 * Splits the command line into global flags, the task name and the task's own arguments. Flags that apply to any
 * run are recognised before and after the task name (`task docker-build --dry-run` works), never after `--`;
 * `--list`, `--json` and `--version` only before it, so a task may have its own (`task backup --list`).
 */
import { ErrorCode, usageError } from '../errors.ts';
import { suggest } from './suggest.ts';

export const OUTPUT_MODES = ['auto', 'tty', 'plain', 'json'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

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
}

export interface ParsedArgv {
  global: GlobalOptions;
  task?: string;
  taskArgs: string[];
}

/** Global flags with their help text: the single source for parsing and for `--help`. */
export const GLOBAL_FLAGS = [
  { flags: ['--list', '-l'], value: false, help: 'list the tasks, grouped, with where each comes from' },
  { flags: ['--json'], value: false, help: 'with --list: print JSON for tools' },
  { flags: ['--help', '-h'], value: false, help: 'show help (for a task: `task NAME --help`)' },
  { flags: ['--version'], value: false, help: 'print the version' },
  { flags: ['--dry-run', '-n'], value: false, help: 'print the exact commands, in order, and change nothing' },
  { flags: ['-C', '--dir'], value: true, help: 'run as if started in DIR (like make -C)' },
  { flags: ['--yes', '-y'], value: false, help: 'confirm what would otherwise ask' },
  { flags: ['--verbose', '-v'], value: false, help: 'print every command and its output' },
  { flags: ['--output'], value: true, help: 'tty | plain | json (default: tty in a terminal, plain in CI or a pipe)' },
  { flags: ['--env-file'], value: true, help: 'read this .env file instead of ./.env (repeatable; later files win)' },
] as const;

const ALL = GLOBAL_FLAGS.flatMap((g) => g.flags as readonly string[]);
const BEFORE_TASK_ONLY = new Set(['--list', '--json', '--version']);

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
  };
  let task: string | undefined;
  const taskArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      taskArgs.push(...argv.slice(i));
      break;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const found = GLOBAL_FLAGS.find((g) => (g.flags as readonly string[]).includes(name));
    const spec = found && task !== undefined && BEFORE_TASK_ONLY.has(found.flags[0]) ? undefined : found;
    if (!spec) {
      if (task === undefined && !arg.startsWith('-')) task = arg;
      else if (task === undefined) {
        const hint = suggest(
          name.replace(/^-+/, ''),
          ALL.map((f) => f.replace(/^-+/, '')),
        );
        throw usageError(
          ErrorCode.unknownFlag,
          `unknown flag ${name}.${hint ? ` Did you mean ${ALL.find((f) => f.replace(/^-+/, '') === hint)}?` : ''} Run \`task --help\` for the flags.`,
        );
      } else taskArgs.push(arg);
      continue;
    }
    let value: string | undefined;
    if (spec.value) {
      value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('-'))) {
        throw usageError(ErrorCode.badFlag, `${name} needs a value: ${spec.help}.`);
      }
    }
    apply(global, spec.flags[0], value);
  }
  return { global, task, taskArgs };
}

function apply(g: GlobalOptions, flag: string, value: string | undefined): void {
  switch (flag) {
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
      g.dir = value;
      break;
    case '--env-file':
      g.envFiles.push(value as string);
      break;
    case '--output':
      if (!(OUTPUT_MODES as readonly string[]).includes(value as string)) {
        throw usageError(ErrorCode.badFlag, `--output got "${value}", expected one of ${OUTPUT_MODES.join(', ')}.`);
      }
      g.output = value as OutputMode;
      break;
  }
}
