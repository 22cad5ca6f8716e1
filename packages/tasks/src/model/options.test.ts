import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { suggest } from '../cli/suggest.ts';
import type { TaskError } from '../errors.ts';
import { flagsOf, parseTaskArgs } from './options.ts';
import { defineTask } from './task.ts';

const t = defineTask({
  name: 'demo',
  description: 'd',
  positional: ['id'],
  options: z.object({
    target: z.enum(['production', 'development']).default('production').describe('stage'),
    timeout: z.coerce.number().int().positive().default(60),
    noCache: z.boolean().default(false),
    composeFile: z.array(z.string()).default([]),
    id: z.string().optional(),
  }),
  run: () => [],
});
const parse = (...args: string[]) => parseTaskArgs(t, args, suggest);

describe('flags from the options schema', () => {
  it('derives names, types, defaults and help', () => {
    expect(flagsOf(t.options).map((f) => [f.flag, f.type, f.default])).toEqual([
      ['target', 'enum', 'production'],
      ['timeout', 'number', 60],
      ['no-cache', 'boolean', false],
      ['compose-file', 'list', []],
      ['id', 'string', undefined],
    ]);
    expect(flagsOf(t.options)[0]?.description).toBe('stage');
  });

  it('parses values, switches, repeats, = forms and positionals', () => {
    expect(parse('--target=development', '--timeout', '5', '--no-cache', '--compose-file', 'a', '--compose-file=b', 'x1')).toEqual({
      target: 'development',
      timeout: 5,
      noCache: true,
      composeFile: ['a', 'b'],
      id: 'x1',
    });
    expect(parse()).toEqual({ target: 'production', timeout: 60, noCache: false, composeFile: [] });
  });

  it.each([
    [['--targte', 'x'], /unknown flag --targte for task demo. Did you mean --target\?/],
    [['--target', 'staging'], /--target got "staging", expected one of production, development/],
    [['--timeout', 'soon'], /--timeout got null, expected a number|--timeout got NaN/],
    [['--timeout'], /--timeout needs a value/],
    [['--no-cache=yes'], /is a switch and takes no value/],
    [['a', 'b'], /takes no argument "b"/],
  ])('rejects %j with exit 2', (args, message) => {
    const run = () => parse(...(args as string[]));
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect((e as TaskError).exitCode).toBe(2);
    }
  });
});
