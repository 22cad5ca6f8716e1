import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskError } from '../errors.ts';
import { distance, suggest } from '../text/suggest.ts';
import { parseArgv } from './argv.ts';

describe('parseArgv', () => {
  it('takes global flags before and after the task name', () => {
    const p = parseArgv(['-C', 'dir', 'docker-build', '--target', 'x', '--dry-run', '--env-file=a', '--env-file', 'b', '-y']);
    expect(p.task).toBe('docker-build');
    expect(p.taskArgs).toEqual(['--target', 'x']);
    expect(p.global).toMatchObject({ dir: 'dir', dryRun: true, yes: true, envFiles: ['a', 'b'] });
  });

  it('leaves --list, --json and --version after the task name to the task', () => {
    const p = parseArgv(['backup', '--list', '--json', '--dry-run']);
    expect(p.taskArgs).toEqual(['--list', '--json']);
    expect(p.global).toMatchObject({ list: false, json: false, dryRun: true });
  });

  it('leaves everything after -- to the task', () => {
    expect(parseArgv(['t', '--', '--dry-run']).taskArgs).toEqual(['--', '--dry-run']);
  });

  it('rejects unknown global flags and bad values with a hint', () => {
    expect(() => parseArgv(['--dryrun'])).toThrow(/unknown flag "--dryrun". Did you mean --dry-run\?/);
    expect(() => parseArgv(['--output', 'fancy'])).toThrow(/--output got "fancy", expected one of auto, tty, plain, json/);
    expect(() => parseArgv(['-C'])).toThrow(/-C needs a value/);
  });
});

describe('suggest', () => {
  it('finds transpositions and near misses, not far ones', () => {
    expect(suggest('dokcer-dev', ['docker-dev', 'docker-run', 'doctor'])).toBe('docker-dev');
    expect(suggest('envcheck', ['env-check', 'doctor'])).toBe('env-check');
    expect(suggest('deploy', ['docker-dev', 'backup'])).toBeUndefined();
    expect(distance('ab', 'ba')).toBe(1);
  });
});

describe('one rule for global and task flags', () => {
  it('a `--` before the task name ends the global flags: the next word is the task, never a listing', () => {
    expect(parseArgv(['--', 'env-check'])).toMatchObject({ task: 'env-check', taskArgs: [] });
    expect(parseArgv(['--', '--', 'env-check', '--verbose'])).toMatchObject({ task: 'env-check', global: { verbose: true } });
    expect(parseArgv(['-C', 'x', '--', '--list']).task).toBe('--list');
  });

  it('--dir before the task is -C; after it, it is the task’s own', () => {
    expect(parseArgv(['--dir', 'repo', 'backup']).global.dir).toBe('repo');
    const p = parseArgv(['-C', 'repo', 'backup', '--dir', 'x']);
    expect(p.global.dir).toBe('repo');
    expect(p.taskArgs).toEqual(['--dir', 'x']);
  });

  it('reads the run flags of the graph anywhere before --: -j N, -jN, --jobs=N, -k, --force, --status, --watch, --graph', () => {
    expect(parseArgv(['-j', '4', 'build', '-k']).global).toMatchObject({ jobs: 4, keepGoing: true });
    expect(parseArgv(['build', '-j4', '--force', '--status']).global).toMatchObject({ jobs: 4, force: true, status: true });
    expect(parseArgv(['--jobs=2', 'build', '--watch']).global).toMatchObject({ jobs: 2, watch: true });
    expect(parseArgv(['build', '--graph', 'dot']).global).toMatchObject({ graph: 'dot' });
    expect(parseArgv(['build', '--', '-j', '3']).taskArgs).toEqual(['--', '-j', '3']);
    expect(() => parseArgv(['-j', '0', 'build'])).toThrow(/--jobs\/-j got "0": give the number of steps to run at once/);
    expect(() => parseArgv(['-jx', 'build'])).toThrow(/--jobs\/-j got "x"/);
    expect(() => parseArgv(['--graph', 'svg', 'build'])).toThrow(/--graph got "svg", expected one of mermaid, dot/);
  });

  it('rejects a value given to a switch', () => {
    expect(() => parseArgv(['--dry-run=yes', 't'])).toThrow(/--dry-run is a switch and takes no value/);
  });
});

describe('flag values and combinations (issue 9)', () => {
  it('-j -1 names the bad number; -C and --dir refuse an empty folder', () => {
    expect(() => parseArgv(['-j', '-1', 'build'])).toThrow(/--jobs\/-j got "-1": give the number of steps/);
    expect(() => parseArgv(['-C', '', 'build'])).toThrow(/-C needs a folder, and got an empty word/);
    expect(() => parseArgv(['--dir=', 'build'])).toThrow(/--dir needs a folder/);
    expect(() => parseArgv(['-j', '--force', 'build'])).toThrow(/-j needs a value/);
  });

  it('--status, --watch, --dry-run and --graph exclude each other, naming both', () => {
    expect(() => parseArgv(['--status', 'build', '--watch'])).toThrow(/--status and --watch cannot be used together/);
    expect(() => parseArgv(['build', '--status', '--dry-run'])).toThrow(/--status and --dry-run cannot be used together/);
    expect(() => parseArgv(['-n', '--graph', 'dot', 'build'])).toThrow(/--dry-run and --graph cannot be used together/);
  });
});

describe('parseArgv properties', () => {
  const word = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('--', '-C', '--dir', '-j', '--jobs', '--output', 'json', '--graph', 'dot', '--status', '--watch', '-n', '-1', '0', '4', '', '=', '--dir='),
  );

  it('any argv either parses or is a usage error (exit 2), never another exception', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (argv) => {
        try {
          parseArgv(argv);
        } catch (error) {
          expect(error).toBeInstanceOf(TaskError);
          expect((error as TaskError).exitCode).toBe(2);
        }
      }),
    );
  });

  it('a parse never leaves two run modes on, and -C is never empty', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (argv) => {
        let g: ReturnType<typeof parseArgv>['global'];
        try {
          g = parseArgv(argv).global;
        } catch {
          return;
        }
        expect([g.status, g.watch, g.dryRun, g.graph !== undefined].filter(Boolean).length).toBeLessThanOrEqual(1);
        expect(g.dir).not.toBe('');
      }),
    );
  });

  it('-j N: a whole number of 1 or more is taken; any other integer is refused naming it', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        if (n >= 1) expect(parseArgv(['-j', String(n), 't']).global.jobs).toBe(n);
        else expect(() => parseArgv(['-j', String(n), 't'])).toThrow(`got "${n}"`);
      }),
    );
  });

  it('after the task name, everything from -- on goes to the task as it is', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (rest) => {
        expect(parseArgv(['build', '--', ...rest]).taskArgs).toEqual(['--', ...rest]);
      }),
    );
  });
});
