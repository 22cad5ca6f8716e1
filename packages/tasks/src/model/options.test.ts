import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TaskError } from '../errors.ts';
import { suggest } from '../text/suggest.ts';
import { RUN_FLAG_WORDS } from './global-flags.ts';
import { flagsOf, parseTaskArgs } from './options.ts';
import { defineTask } from './task.ts';

const t = defineTask({
  name: 'demo',
  description: 'd',
  positional: ['id'],
  options: z.object({
    target: z.enum(['production', 'development']).default('production').describe('stage'),
    timeout: z.coerce.number().int().positive().default(60),
    score: z.coerce.number().int().min(0).max(60).optional(),
    noCache: z.boolean().default(false),
    composeFile: z.array(z.string().meta({ path: true })).default([]),
    buildArg: z.array(z.string().regex(/^[A-Z]+=/, 'KEY=value')).default([]),
    id: z.string().optional(),
  }),
  plan: () => [],
});
const parse = (...args: string[]) => parseTaskArgs(t, args, { suggest, baseDir: '/shell' });
const failure = (...args: string[]): TaskError => {
  try {
    parse(...args);
  } catch (e) {
    return e as TaskError;
  }
  throw new Error(`${args.join(' ')} was accepted`);
};

describe('flags from the options schema', () => {
  it('derives names, types, defaults, help and the constraint in words', () => {
    expect(flagsOf(t.options).map((f) => [f.flag, f.type, f.default, f.expects])).toEqual([
      ['target', 'enum', 'production', 'one of production, development'],
      ['timeout', 'number', 60, 'a whole number greater than 0'],
      ['score', 'number', undefined, 'a whole number from 0 to 60'],
      ['no-cache', 'boolean', false, 'nothing (a switch)'],
      ['compose-file', 'list', [], 'a value (repeat the flag for more)'],
      ['build-arg', 'list', [], 'a value of the form KEY=value (repeat the flag for more)'],
      ['id', 'string', undefined, 'a value'],
    ]);
    expect(flagsOf(t.options)[0]?.description).toBe('stage');
    expect(flagsOf(t.options).find((f) => f.key === 'composeFile')?.path).toBe(true);
  });

  it('parses values, switches, repeats, = forms and positionals; path flags are relative to the shell', () => {
    expect(parse('--target=development', '--timeout', '5', '--no-cache', '--compose-file', 'a.yml', '--compose-file=/abs/b.yml', 'x1')).toEqual({
      target: 'development',
      timeout: 5,
      noCache: true,
      composeFile: ['/shell/a.yml', '/abs/b.yml'],
      buildArg: [],
      id: 'x1',
    });
    expect(parse()).toEqual({ target: 'production', timeout: 60, noCache: false, composeFile: [], buildArg: [] });
  });

  it.each([
    [['--targte', 'x'], 'unknown flag "--targte" for task demo. Did you mean --target?'],
    [['--target', 'staging'], '--target got "staging", expected one of production, development'],
    [['--timeout', 'soon'], '--timeout got "soon", expected a whole number greater than 0'],
    [['--timeout', '0'], '--timeout got "0", expected a whole number greater than 0'],
    [['--timeout', '0x50'], '--timeout got "0x50", expected a whole number greater than 0'],
    [['--timeout', '1e3'], '--timeout got "1e3", expected a whole number greater than 0'],
    [['--timeout', ''], '--timeout got "", expected a whole number greater than 0'],
    [['--score', '61'], '--score got "61", expected a whole number from 0 to 60'],
    [['--build-arg', 'lower=x'], '--build-arg got "lower=x", expected a value of the form KEY=value'],
    [['--timeout'], '--timeout needs a value: a whole number greater than 0.'],
    [['--no-cache=yes'], 'is a switch and takes no value'],
    [['a', 'b'], 'takes no argument "b"'],
  ])('rejects %j with exit 2, quoting the input and the real constraint', (args, message) => {
    const e = failure(...args);
    expect(e.message).toContain(message);
    expect(e.message).not.toContain('got null');
    expect(e.exitCode).toBe(2);
  });

  it('quotes a huge or hostile unknown flag cut short, control characters shown', () => {
    const e = failure(`--${'x'.repeat(100_000)}`);
    expect(e.message.length).toBeLessThan(400);
    expect(e.message).toContain('more characters');
    expect(failure('--\u001b]0;pwned\u0007').message).toContain('\\x1b]0;pwned\\x07');
  });

  it('never throws anything but a usage error, whatever the arguments', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 6 }), (args) => {
        try {
          parse(...args);
        } catch (e) {
          expect((e as TaskError).exitCode).toBe(2);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('defineTask checks the declaration', () => {
  const named = (name: string) => () => defineTask({ name, description: '', options: z.object({}), plan: () => [] });

  it.each(['', '--list', '-x', 'has space', 'a/b', 'x'.repeat(65), 'tab\there'])('rejects the task name %j', (name) => {
    expect(named(name)).toThrow(/a task name is a letter or digit/);
  });

  it.each(['docker-build', 'test', 'db:migrate', 'v1.2', 'a_b'])('accepts %j', (name) => {
    expect(named(name)).not.toThrow();
  });

  it.each([
    ['dryRun', z.boolean().default(false)],
    ['yes', z.boolean().default(false)],
    ['envFile', z.string().optional()],
    ['output', z.string().optional()],
    ['help', z.boolean().default(false)],
  ] as const)('refuses an option %s that would be a global flag', (key, schema) => {
    expect(() => defineTask({ name: 'x', description: '', options: z.object({ [key]: schema }), plan: () => [] })).toThrow(/is a global flag of every task/);
  });

  it('refuses a short alias that is a global flag', () => {
    expect(() => defineTask({ name: 'x', description: '', options: z.object({ name: z.string().meta({ short: 'n' }) }), plan: () => [] })).toThrow(
      /-n, which is a global flag/,
    );
  });

  it('refuses an unknown fact and a missing plan', () => {
    expect(() => defineTask({ name: 'x', description: '', options: z.object({}), needs: ['weather' as 'docker'], plan: () => [] })).toThrow(
      /needs names no fact "weather"/,
    );
    expect(() => defineTask({ name: 'x', description: '', options: z.object({}) })).toThrow(/give `plan:/);
  });

  it.each([
    ['[z-a]', /sources glob "\[z-a\]" cannot be used: its class \[z-a\] has a range out of order/],
    ['../**', /sources glob "..\/\*\*" cannot be used: it has a ".." segment/],
    ['/etc/passwd', /sources glob "\/etc\/passwd" cannot be used: it is absolute/],
  ])('refuses the sources glob %s, naming the task', (glob, why) => {
    expect(() => defineTask({ name: 'gen', description: '', options: z.object({}), sources: [glob], plan: () => [] })).toThrow(why);
    expect(() => defineTask({ name: 'gen', description: '', options: z.object({}), sources: [glob], plan: () => [] })).toThrow(/defineTask\("gen"\)/);
    expect(() => defineTask({ name: 'gen', description: '', options: z.object({}), sources: ['src/**'], generates: [glob], plan: () => [] })).toThrow(
      /generates glob/,
    );
  });

  it('still accepts the earlier name `run` for the plan', () => {
    expect(defineTask({ name: 'x', description: '', options: z.object({}), run: () => [] }).plan).toBeTypeOf('function');
  });

  it('has no run flag that a task could take by accident: the words are all global-only', () => {
    expect([...RUN_FLAG_WORDS].sort()).toEqual([
      '--dry-run',
      '--env-file',
      '--force',
      '--graph',
      '--help',
      '--jobs',
      '--keep-going',
      '--output',
      '--status',
      '--verbose',
      '--watch',
      '--yes',
      '-C',
      '-h',
      '-j',
      '-k',
      '-n',
      '-v',
      '-w',
      '-y',
    ]);
  });
});
