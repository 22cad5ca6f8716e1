import { describe, expect, it } from 'vitest';
import { parseDockerfile } from './dockerfile.ts';

describe('parseDockerfile', () => {
  it('reads a heredoc as the body of its RUN, not as instructions (migrate rejected `apt-get` here)', () => {
    const df = parseDockerfile('Dockerfile', 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nUSER 1001\n');
    expect(df.problems).toEqual([]);
    expect(df.all.map((i) => [i.line, i.cmd])).toEqual([
      [1, 'FROM'],
      [2, 'RUN'],
      [6, 'USER'],
    ]);
    expect(df.all[1]?.args).toContain('apt-get install -y curl');
  });

  it('reads several heredocs on one line, <<- and quoted delimiters', () => {
    const df = parseDockerfile(
      'Dockerfile',
      'FROM debian:12\nCOPY <<-"EOT" /x.sh\n\techo hi\n\tEOT\nRUN <<A cat > /a && <<B cat > /b\na\nA\nb\nB\nCMD ["x"]\n',
    );
    expect(df.problems).toEqual([]);
    expect(df.all.map((i) => i.cmd)).toEqual(['FROM', 'COPY', 'RUN', 'CMD']);
    expect(df.all[3]?.line).toBe(10);
  });

  it('honours the escape directive and continuations with comment lines inside', () => {
    const win = parseDockerfile('Dockerfile', '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  c:\\\nUSER ContainerUser\n');
    expect(win.all.map((i) => [i.line, i.cmd])).toEqual([
      [2, 'FROM'],
      [3, 'RUN'],
      [5, 'USER'],
    ]);
    const cont = parseDockerfile('Dockerfile', 'FROM python:3.12 AS base\nRUN apt-get update \\\n# a comment\n    && apt-get install -y curl\nUSER 1001\n');
    expect(cont.all.map((i) => i.line)).toEqual([1, 2, 5]);
    expect(cont.stages[0]).toMatchObject({ name: 'base', image: 'python:3.12' });
  });

  it('keeps flags, stages, ARG defaults and audit-ignore comments', () => {
    const df = parseDockerfile(
      'Dockerfile',
      '# syntax=docker/dockerfile:1\nARG BASE=python:3.12-slim\n# audit-ignore=BI-003\nFROM --platform=$BUILDPLATFORM ${BASE} AS build\nRUN --mount=type=secret,id=npm --mount=type=cache,target=/c npm ci\nFROM build\nCOPY --from=build --chown=1:1 /a /b\n',
    );
    expect(df.globalArgs).toEqual({ BASE: 'python:3.12-slim' });
    expect(df.stages.map((s) => [s.name, s.image, s.parent?.name])).toEqual([
      ['build', 'python:3.12-slim', undefined],
      [undefined, 'build', 'build'],
    ]);
    expect(df.all[1]).toMatchObject({ cmd: 'FROM', ignored: ['BI-003'], flags: { platform: ['$BUILDPLATFORM'] } });
    expect(df.all[2]?.flags.mount).toEqual(['type=secret,id=npm', 'type=cache,target=/c']);
    expect(df.all[4]?.flags).toEqual({ from: ['build'], chown: ['1:1'] });
  });

  it('reports what docker build would reject: empty, binary, unknown instruction, no FROM', () => {
    expect(parseDockerfile('D', '').problems).toEqual([{ line: 1, message: 'the file is empty' }]);
    expect(parseDockerfile('D', '\u0000\u0001ELF').problems[0]?.message).toBe('the file is binary, not a Dockerfile');
    expect(parseDockerfile('D', 'FROM a:1\napt-get install x\n').problems).toEqual([{ line: 2, message: 'unknown instruction "apt-get"' }]);
    expect(parseDockerfile('D', 'RUN x\n').problems.map((p) => p.message)).toEqual([
      'the first instruction must be FROM (or ARG before FROM), not RUN',
      'there is no FROM instruction',
    ]);
    expect(parseDockerfile('D', `FROM a:1\nRUN echo ${'x'.repeat(200_000)}\n`).problems[0]?.message).toMatch(/larger than 128 KiB/);
  });
});
