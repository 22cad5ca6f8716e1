import { describe, expect, it } from 'vitest';
import { isIgnored, parseDockerignore } from './dockerignore.ts';

const matches = (rules: string, paths: string[]) => {
  const ignore = parseDockerignore('.dockerignore', rules);
  return paths.filter((p) => ignore.ignores(p));
};

describe('parseDockerignore (Docker semantics)', () => {
  it('lets the last matching rule win and ! re-include', () => {
    expect(matches('.env\n.env.*\n!.env.example\n', ['.env', '.env.local', '.env.example', 'sub/.env'])).toEqual(['.env', '.env.local']);
    expect(matches('*\n!src\n', ['src/app.py', 'x', '.git'])).toEqual(['x', '.git']);
  });

  it('matches **, folders with everything under them, character classes, and cleans ./ and ..', () => {
    expect(matches('**/.env\n', ['.env', 'a/.env', 'a/b/.env'])).toEqual(['.env', 'a/.env', 'a/b/.env']);
    expect(matches('node_modules\n/build/\n', ['node_modules/x/y', 'build/a', 'src/build'])).toEqual(['node_modules/x/y', 'build/a']);
    expect(matches('[a-c].txt\n./foo\nbar/../baz\n', ['b.txt', 'd.txt', 'foo', 'baz'])).toEqual(['b.txt', 'foo', 'baz']);
  });

  it('matches case-sensitively, as Docker on Linux does, and keeps each rule with its line', () => {
    expect(matches('README.md\n', ['README.md', 'readme.md'])).toEqual(['README.md']);
    const f = parseDockerignore('.dockerignore', '# secrets\n.env\n\n!.env.example\n');
    expect(f.rules).toEqual([
      { pattern: '.env', negate: false, line: 2 },
      { pattern: '.env.example', negate: true, line: 4 },
    ]);
    expect(isIgnored(undefined, '.env')).toBe(false);
  });
});
