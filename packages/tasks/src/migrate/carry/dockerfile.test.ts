import { describe, expect, it } from 'vitest';
import { carryDockerfile, envPairs } from './dockerfile.ts';
import { repoOf } from './test-repo.ts';
import { type Carry, newCarry } from './types.ts';

function carry(dockerfile: string, files: Record<string, string> = {}) {
  const c = newCarry();
  const found = carryDockerfile(repoOf({ Dockerfile: dockerfile, ...files }), 'Dockerfile', c);
  return { c, found, verdicts: c.mapping.map((m) => `${m.from.line} ${m.verdict}`) };
}
const needs = (c: Carry) => c.mapping.filter((m) => m.verdict === 'needs you').map((m) => `${m.from.line}: ${m.to}`);

describe('carrying a Dockerfile', () => {
  it('maps every instruction: none is dropped without a word', () => {
    const { c, found } = carry(
      [
        'ARG PY=3.11',
        'FROM python:${PY}-slim AS base',
        'LABEL maintainer=team',
        'WORKDIR /srv/app',
        'ENV LOG_LEVEL=info PYTHONUNBUFFERED=1',
        'RUN apt-get update && apt-get install -y --no-install-recommends libpq5=15.* tzdata && rm -rf /var/lib/apt/lists/*',
        'COPY requirements.txt .',
        'RUN pip install --no-cache-dir -r requirements.txt',
        'COPY . .',
        'USER nobody',
        'EXPOSE 5000 9100',
        'VOLUME /data',
        'STOPSIGNAL SIGINT',
        'HEALTHCHECK --interval=5s --start-period=20s CMD curl -fs http://localhost:5000/healthz',
        'CMD ["python", "app.py"]',
        '',
      ].join('\n'),
    );
    // Mapped here, or handed on (port, command, health, packages, dependencies, base) to be mapped once all is read.
    const handedOn = [
      ...found.ports,
      found.cmd,
      found.health,
      found.python,
      ...found.aptLines.map((from) => ({ from })),
      ...found.depsLines.map((from) => ({ from })),
    ];
    const lines = new Set([...c.mapping.map((m) => m.from.line), ...handedOn.map((x) => x?.from.line)]);
    expect([...lines].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(found).toMatchObject({
      workdir: '/srv/app',
      copiesAll: true,
      apt: ['libpq5', 'tzdata'],
      hints: { requirements: ['requirements.txt'] },
      python: { image: 'python:3.11-slim' },
      health: { path: '/healthz', port: '5000', interval: '5s', startPeriod: '20s' },
    });
    expect(found.ports.map((p) => p.port)).toEqual(['5000', '9100']);
    expect(found.cmd?.command).toEqual({ form: 'exec', argv: ['python', 'app.py'] });
    expect(c.vars.get('LOG_LEVEL')).toMatchObject({ value: 'info', secret: false, toApp: true });
    expect(c.vars.has('PYTHONUNBUFFERED')).toBe(false);
    expect(c.app.stop_signal).toBe('SIGINT');
    expect(needs(c)).toEqual([]);
    expect(c.warnings.join('\n')).toMatch(/VOLUME \/data made an anonymous volume/);
  });

  it('moves a secret out of ENV (its value never in the mapping) and warns that old images still hold it', () => {
    const { c } = carry('FROM python:3.12-slim\nENV API_TOKEN=tok_3f9a8b7c6d5e4f3a2b1c0d9e GREETING=hi\n');
    expect(c.secrets).toEqual([{ key: 'API_TOKEN', value: 'tok_3f9a8b7c6d5e4f3a2b1c0d9e', from: expect.objectContaining({ line: 2 }) }]);
    expect(c.vars.get('API_TOKEN')).toMatchObject({ secret: true, required: true });
    expect(JSON.stringify(c.mapping)).not.toContain('tok_3f9a8b7c6d5e4f3a2b1c0d9e');
  });

  it('reads a heredoc RUN as the script it is, with the one parser (no "unknown instruction")', () => {
    const { c, found } = carry('FROM python:3.12-slim\nRUN <<EOF\nset -e\napt-get update\napt-get install -y tzdata\nEOF\nCMD ["python3", "-m", "svc"]\n');
    expect(needs(c)).toEqual([]);
    expect(found.apt).toEqual(['tzdata']);
  });

  it('says "needs you" for what the template does not do, with the line', () => {
    const { c } = carry(
      'FROM python:3.12-alpine\nRUN apk add --no-cache libpq\nRUN pip install flask gunicorn\nRUN python manage.py collectstatic\nADD https://example.com/x.tgz /x\nONBUILD RUN x\n',
    );
    expect(needs(c)).toEqual([
      expect.stringMatching(/^2: .*Alpine's apk/),
      expect.stringMatching(/^3: .*installs flask, gunicorn outside a requirements file/),
      expect.stringMatching(/^4: .*python manage.py collectstatic/),
      expect.stringMatching(/^5: ADD of a URL/),
      '6: ONBUILD has no counterpart in the template',
    ]);
    expect(c.warnings.join('\n')).toMatch(/python:3\.12-alpine is Alpine-based.*PYTHON_IMAGE is python:3\.12-slim/);
  });

  it('a base that is not a Python image needs you', () => {
    expect(needs(carry('FROM ubuntu:22.04\nCMD ["python3", "app.py"]\n').c)).toEqual([expect.stringMatching(/^1: ubuntu:22\.04 is not a python image/)]);
  });

  it("a broken Dockerfile needs you, with the parser's reason", () => {
    expect(needs(carry('RUN echo no FROM\n').c)).toEqual([
      expect.stringMatching(/the Dockerfile does not parse: .*FROM/),
      expect.stringMatching(/there is no FROM/),
    ]);
  });
});

describe('envPairs', () => {
  it('reads both ENV forms, quotes and escapes', () => {
    expect(envPairs('A=1 B="two words" C=\'x y\' D=e\\ f')).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', 'x y'],
      ['D', 'e f'],
    ]);
    expect(envPairs('LEGACY some value')).toEqual([['LEGACY', 'some value']]);
  });
});
