/** The corpus of team repos (test/fixtures/team-repos): what migrate reads from each, without an engine. */
import { cpSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOldSetup } from './old-setup.ts';
import { needsYou } from './types.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../../../../test/fixtures/team-repos');

function read(shape: string) {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'corpus-'))), shape);
  cpSync(path.join(CORPUS, shape), dir, { recursive: true });
  const setup = readOldSetup(dir, shape);
  return { ...setup, needs: needsYou(setup.carry).map((m) => `${m.from.file}:${m.from.line}`) };
}

describe('the team repos corpus, read', () => {
  it('requirements-flat: requirements.txt, flat module, port 5000, /healthz', () => {
    const s = read('requirements-flat');
    expect(s.carry.defaults).toEqual({
      APP_COMMAND: 'python app.py',
      APP_DEPS: 'requirements',
      APP_HEALTH_PATH: '/healthz',
      APP_PORT: '5000',
      APP_PYTHONPATH: '/app',
      APP_SOURCE: '.',
      DEV_COMMAND: 'python app.py',
    });
    expect(s.carry.appService).toBe('web');
    expect(s.carry.image).toBe('hello-web:latest');
    expect([...s.carry.vars.keys()].sort()).toEqual(['FLASK_ENV', 'PORT']);
    expect(s.health).toEqual({ interval: '15s', startPeriod: '5s' });
    expect(s.needs).toEqual([]);
  });

  it('src-editable: pip install -e ., src/, a console script, Python 3.11, docker run flags from the Makefile', () => {
    const s = read('src-editable');
    expect(s.carry.defaults).toMatchObject({ PYTHON_IMAGE: 'python:3.11-slim', APP_PORT: '8080', APP_DEV_EXTRA: 'none' });
    expect(s.carry.defaults.APP_SOURCE).toBeUndefined();
    expect(s.carry.defaults.APP_COMMAND).toMatch(/^python3 -c 'import sys; from shopapi\.server import main; .*' --port 8080$/);
    expect(s.carry.app.volumes).toEqual(['shop-uploads:/app/uploads']);
    expect(s.carry.top.volumes).toEqual({ 'shop-uploads': { name: 'shop-uploads' } });
    expect(s.carry.vars.get('LOG_LEVEL')).toMatchObject({ value: 'debug' });
    expect(s.needs).toEqual([]);
  });

  it('uv-lock: uv sync of uv.lock, a flat package, /status with its timings', () => {
    const s = read('uv-lock');
    expect(s.carry.defaults).toMatchObject({ APP_DEPS: 'uv-lock', APP_MODULE: 'inventory', APP_HEALTH_PATH: '/status', APP_SOURCE: '.' });
    expect(s.carry.appService).toBe('api');
    expect(s.health).toEqual({ interval: '20s', startPeriod: '10s' });
  });

  it('apt-packages: the packages, a host port that differs, and a warning for the missing health check', () => {
    const s = read('apt-packages');
    expect(s.carry.defaults).toMatchObject({ APT_PACKAGES: 'tzdata ca-certificates openssl', APP_PORT: '8080', APP_HOST_PORT: '8081', APP_HEALTH_PATH: '/' });
    expect(s.carry.warnings.join('\n')).toMatch(/no health check/);
  });

  it('db-volume and worker: the other services, their volumes, the worker on the app image', () => {
    const db = read('db-volume');
    expect(Object.keys(db.carry.services)).toEqual(['db']);
    expect(db.carry.top.volumes).toEqual({ dbdata: null });
    expect(db.carry.app.depends_on).toEqual(['db']);
    const w = read('worker');
    expect(w.carry.services.worker).toMatchObject({ image: '${APP_IMAGE}', command: 'python -m jobs.worker' });
    expect(w.carry.defaults).toMatchObject({ APP_MODULE: 'jobs.web', APP_SOURCE: '.', APP_DEV_EXTRA: 'none' });
    expect(w.carry.defaults.APP_DEPS).toBeUndefined(); // pyproject: the template's default
    expect(w.carry.defaults.APP_PYTHONPATH).toBeUndefined();
  });

  it('env-secrets: the secrets leave the image for .env, with a warning each', () => {
    const s = read('env-secrets');
    expect(s.carry.secrets.map((x) => x.key)).toEqual(['API_TOKEN', 'SECRET_KEY']);
    expect(s.carry.vars.get('GREETING')).toMatchObject({ value: 'hello', secret: false });
    expect(s.carry.warnings.filter((w) => /images built before still hold it/.test(w))).toHaveLength(2);
  });

  it('makefile-extras: the image named in the Makefile, the env_file, and the port variable', () => {
    const s = read('makefile-extras');
    expect(s.carry.image).toBe('team/reports:latest');
    expect(s.carry.app.env_file).toBe('.env');
    expect(s.carry.defaults).toMatchObject({ APP_PORT: '8090', APP_HEALTH_PATH: '/ready', APP_DEV_REQUIREMENTS: 'requirements-dev.txt' });
    expect(s.carry.warnings.join('\n')).toMatch(/came from WEB_PORT; it is APP_HOST_PORT now/);
  });

  it('needs-you: every construct it cannot carry, with its file:line', () => {
    expect(read('needs-you').needs).toEqual(['Dockerfile:6', 'Dockerfile:7', 'docker-compose.yml:6']);
  });
});
