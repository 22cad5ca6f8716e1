import { describe, expect, it } from 'vitest';
import { composeStart, parseInstructionCommand, rewriteWorkdir, startOf } from './command.ts';
import { repoOf } from './test-repo.ts';

const from = (line: number) => ({ file: 'Dockerfile', line, text: '' });
const cmd = (args: string, line = 9) => ({ command: parseInstructionCommand(args), from: from(line) });
const start = (entry: string | undefined, c: string | undefined, files: Record<string, string> = {}, workdir?: string, scripts = {}) =>
  startOf(entry === undefined ? undefined : cmd(entry, 8), c === undefined ? undefined : cmd(c), repoOf(files), workdir, scripts);

describe('how the old image started', () => {
  it('`python -m x` is a module; anything else a command line, paths moved to /app', () => {
    expect(start(undefined, '["python3", "-m", "shop.web"]')).toEqual({ ok: true, module: 'shop.web', notes: [] });
    expect(start(undefined, '["/app/.venv/bin/python", "-m", "inventory"]')).toMatchObject({ module: 'inventory' });
    expect(start(undefined, 'exec gunicorn -b 0.0.0.0:8080 "app:create()"')).toEqual({
      ok: true,
      command: "gunicorn -b 0.0.0.0:8080 'app:create()'",
      notes: [],
    });
    expect(start(undefined, '["python", "/code/server.py"]', {}, '/code')).toMatchObject({ command: 'python /app/server.py' });
    expect(start(undefined, '["sh", "-c", "python app.py --port $PORT"]')).toMatchObject({ command: "python app.py --port '$PORT'" });
  });

  it('a console script of the project runs through python3 (the project itself is not installed)', () => {
    const r = start(undefined, 'shopapi --port 8080', {}, undefined, { shopapi: 'shopapi.server:main' });
    expect(r).toMatchObject({
      ok: true,
      command: `python3 -c 'import sys; from shopapi.server import main; sys.argv[0] = "shopapi"; sys.exit(main())' --port 8080`,
    });
  });

  it('an entrypoint script that only execs its arguments is not needed; one that does work needs you, line by line', () => {
    const execOnly = { 'entrypoint.sh': '#!/bin/sh\nset -eu\n# hand over\nexec "$@"\n' };
    expect(start('["./entrypoint.sh"]', '["python", "-m", "svc"]', execOnly)).toMatchObject({
      ok: true,
      module: 'svc',
      notes: ['entrypoint.sh only execs its arguments: not needed'],
    });
    const work = { 'entrypoint.sh': '#!/bin/sh\nset -e\npython manage.py migrate\nexec "$@"\n' };
    expect(start('["/entrypoint.sh"]', '["sh", "-c", "a & b"]', work)).toEqual({
      ok: false,
      why: [
        'Dockerfile:8: the ENTRYPOINT script entrypoint.sh does more than exec its arguments',
        'entrypoint.sh:3: python manage.py migrate',
        'Dockerfile:9: `a & b` runs several commands (or in the background): one container runs one process',
      ],
    });
  });

  it('several processes in one container need you: lists, background jobs, supervisors', () => {
    expect(start(undefined, 'python worker.py & python app.py')).toMatchObject({ ok: false });
    expect(start(undefined, 'python migrate.py && python app.py')).toMatchObject({ ok: false });
    expect(start(undefined, '["supervisord", "-c", "/etc/supervisor.conf"]')).toEqual({
      ok: false,
      why: ['Dockerfile:9: supervisord starts several processes in one container: give each its own compose service'],
    });
    expect(composeStart('sh -c "a; b"', from(3), undefined, {})).toMatchObject({ ok: false });
    expect(composeStart(['python', '-m', 'jobs.worker'], from(3), undefined, {})).toMatchObject({ ok: true, module: 'jobs.worker' });
    expect(composeStart('python worker.py --queue jobs', from(3), undefined, {})).toMatchObject({ ok: true, command: 'python worker.py --queue jobs' });
  });

  it('exec-form ENTRYPOINT and CMD combine; a shell-form ENTRYPOINT ignores CMD, as Docker does', () => {
    expect(start('["python", "app.py"]', '["--port", "5000"]')).toMatchObject({ command: 'python app.py --port 5000' });
    expect(start('python app.py', '["--ignored"]')).toMatchObject({ command: 'python app.py' });
  });

  it('rewrites only paths under the old WORKDIR', () => {
    expect(rewriteWorkdir('/srv/app/x', '/srv/app/')).toBe('/app/x');
    expect(rewriteWorkdir('/srv/application', '/srv/app')).toBe('/srv/application');
    expect(rewriteWorkdir('/srv/app', '/srv/app')).toBe('/app');
  });
});
