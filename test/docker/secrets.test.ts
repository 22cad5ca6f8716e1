/**
 * Secrets as files on the real engine (issue 17, item 1): the app gets OPENAI_API_KEY and ADMIN_REINGEST_KEY as
 * compose secrets under /run/secrets, never as environment variables, whether the tasks write the files from .env
 * or the platform supplies them; a changed key reaches the app on the next docker-run; docker-clean removes them.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { docker, requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, getJson, removeProject } from '../helpers/project.ts';

const ADMIN = 'e2e-secret-admin-0123456789abcdef';
const OPENAI = 'sk-e2e-openai-0123456789abcdefghij';

function app(p: ExampleProject): string {
  const id = docker('ps', '-q', '--filter', `label=com.docker.compose.project=${p.name}`, '--filter', 'label=com.docker.compose.service=app').trim();
  if (!id) throw new Error(`no app container in ${p.name}`);
  return id;
}

const reingest = (p: ExampleProject, key: string) => getJson(`${p.url}/admin/reingest`, { method: 'POST', headers: { 'X-Admin-Key': key } });

describe('secrets reach the app as files, never as environment variables', () => {
  let p: ExampleProject;
  let secretDir = '';

  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject({ ADMIN_REINGEST_KEY: ADMIN, OPENAI_API_KEY: OPENAI });
  });
  afterAll(() => removeProject(p));

  it('docker-run writes them from .env into a private folder outside the project, and the app reads both', async () => {
    const r = runCli(['docker-run', '--tag', p.tag], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    secretDir = r.stdout.match(/secret files: ADMIN_REINGEST_KEY, OPENAI_API_KEY in (\S+)\//)?.[1] ?? '';
    expect(secretDir).toMatch(new RegExp(`promtior-tasks-\\d+/secrets/${p.name}$`));
    expect(path.relative(p.dir, secretDir).startsWith('..')).toBe(true);
    expect(statSync(secretDir).mode & 0o777).toBe(0o700);
    expect((await getJson(`${p.url}/version`)).body).toMatchObject({ configured: { openai_api_key: true, admin_reingest_key: true } });
    expect((await reingest(p, ADMIN)).status).toBe(200);
    expect((await reingest(p, 'wrong-key-0123456789')).status).toBe(401);
    expect(r.all).not.toContain(ADMIN);
    expect(r.all).not.toContain(OPENAI);
  });

  it('a docker-dev that stops on a bad .env leaves the running stack of the same project and its secret files alone', async () => {
    const envFile = path.join(p.dir, '.env');
    const good = readFileSync(envFile, 'utf8');
    const id = app(p);
    const files = readdirSync(secretDir).sort();
    const bad = good.replace(`ADMIN_REINGEST_KEY=${ADMIN}`, 'ADMIN_REINGEST_KEY=short');
    expect(bad).not.toBe(good);
    writeFileSync(envFile, bad);
    try {
      const dev = runCli(['docker-dev', '--tag', `${p.name}-dev:latest`], { cwd: p.dir });
      expect(dev.code, dev.all).toBe(1);
      expect(dev.all).toContain('ADMIN_REINGEST_KEY');
      // Nothing was started, so nothing is taken down: no compose down, no rm of the secrets folder.
      expect(dev.all).not.toMatch(/Stopping|Removing|down --remove-orphans/);
    } finally {
      writeFileSync(envFile, good);
    }
    expect(app(p)).toBe(id);
    expect(readdirSync(secretDir).sort()).toEqual(files);
    expect((await reingest(p, ADMIN)).status).toBe(200);
  });

  it('`docker inspect` of the running app shows neither value; its secrets are read-only files under /run/secrets', () => {
    const id = app(p);
    const inspect = docker('inspect', id);
    expect(inspect).not.toContain(ADMIN);
    expect(inspect).not.toContain(OPENAI);
    const config = JSON.parse(inspect)[0] as { Config: { Env: string[] }; Mounts: { Destination: string; RW: boolean; Source: string }[] };
    expect(config.Config.Env).toEqual(
      expect.arrayContaining(['ADMIN_REINGEST_KEY_FILE=/run/secrets/admin_reingest_key', 'OPENAI_API_KEY_FILE=/run/secrets/openai_api_key']),
    );
    expect(config.Config.Env.some((e) => /^(ADMIN_REINGEST_KEY|OPENAI_API_KEY)=/.test(e))).toBe(false);
    const secrets = config.Mounts.filter((m) => m.Destination.startsWith('/run/secrets/'));
    expect(secrets.map((m) => [m.Destination, m.RW, path.dirname(m.Source)]).sort()).toEqual([
      ['/run/secrets/admin_reingest_key', false, secretDir],
      ['/run/secrets/openai_api_key', false, secretDir],
    ]);
  });

  it("/proc/1/environ in the container holds neither key, and the app's user can read the files", () => {
    const id = app(p);
    const environ = docker('exec', id, 'python3', '-c', "import sys; sys.stdout.write(open('/proc/1/environ', 'rb').read().decode())");
    expect(environ).toContain('ADMIN_REINGEST_KEY_FILE=/run/secrets/admin_reingest_key');
    expect(environ).not.toContain(ADMIN);
    expect(environ).not.toContain(OPENAI);
    const read = docker('exec', id, 'python3', '-c', "import os; print(os.getuid(), len(open('/run/secrets/admin_reingest_key').read()))");
    expect(read.trim()).toBe(`1001 ${ADMIN.length}`);
  });

  it('a changed key reaches the app on the next docker-run (the old one is refused), and an unchanged one keeps the container', async () => {
    const before = app(p);
    expect(runCli(['docker-run', '--no-build', '--tag', p.tag], { cwd: p.dir }).code).toBe(0);
    expect(app(p)).toBe(before);
    writeFileSync(path.join(p.dir, '.env'), `ADMIN_REINGEST_KEY=${ADMIN}-rotated\nAPP_PORT=${p.port}\n`);
    const r = runCli(['docker-run', '--no-build', '--tag', p.tag], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    expect(app(p)).not.toBe(before);
    expect((await reingest(p, `${ADMIN}-rotated`)).status).toBe(200);
    expect((await reingest(p, ADMIN)).status).toBe(401);
    expect((await getJson(`${p.url}/version`)).body).toMatchObject({ configured: { openai_api_key: false, admin_reingest_key: true } });
  });

  it('docker-clean removes the secret files with the containers', () => {
    expect(existsSync(secretDir)).toBe(true);
    const r = runCli(['docker-clean', '--volumes', '--yes', '--no-backup'], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    expect(existsSync(secretDir)).toBe(false);
  });

  it('a file the platform supplies (ADMIN_REINGEST_KEY_FILE in .env) is mounted as it is; the tasks write none', async () => {
    const store = realpathSync(mkdtempSync(path.join(tmpdir(), 'platform-secrets-')));
    chmodSync(store, 0o700);
    mkdirSync(path.join(store, 'keys'), { mode: 0o700 });
    const file = path.join(store, 'keys', 'admin');
    writeFileSync(file, `${ADMIN}-platform\n`, { mode: 0o644 });
    writeFileSync(path.join(p.dir, '.env'), `ADMIN_REINGEST_KEY_FILE=${file}\nAPP_PORT=${p.port}\n`);
    const r = runCli(['docker-run', '--tag', p.tag], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).not.toContain('secret files: ADMIN_REINGEST_KEY');
    const mount = JSON.parse(docker('inspect', '--format', '{{json .Mounts}}', app(p))) as { Destination: string; Source: string }[];
    expect(mount.find((m) => m.Destination === '/run/secrets/admin_reingest_key')?.Source).toBe(file);
    expect((await reingest(p, `${ADMIN}-platform`)).status).toBe(200);
  });

  it('env-check names a supplied file the app could not read, before anything starts', () => {
    const file = path.join(p.dir, '..', 'unreadable-admin');
    writeFileSync(file, ADMIN, { mode: 0o600 });
    writeFileSync(path.join(p.dir, '.env'), `ADMIN_REINGEST_KEY_FILE=${file}\nAPP_PORT=${p.port}\n`);
    const r = runCli(['env-check'], { cwd: p.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /ADMIN_REINGEST_KEY_FILE is \S+unreadable-admin, mode 0600, owned by uid \d+: compose mounts the file as it is, so the app \(uid 1001\) cannot read it/,
    );
    writeFileSync(path.join(p.dir, '.env'), `ADMIN_REINGEST_KEY_FILE=${file}-missing\nAPP_PORT=${p.port}\n`);
    const missing = runCli(['docker-run', '--no-build', '--tag', p.tag], { cwd: p.dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`ADMIN_REINGEST_KEY_FILE is ${file}-missing, but there is no such file`);
  });
});
