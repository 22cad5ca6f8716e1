/**
 * A secret never becomes a build arg (issue 9): the shipped Dockerfile turns APP_COMMAND and DEV_COMMAND into ENV,
 * so `--build-arg APP_COMMAND=... ${ADMIN_REINGEST_KEY}` would bake the key into the image for anyone who has it.
 * env-check, docker-build and docker-dev refuse such a value before anything is built; a command that takes the
 * key at run time builds, and the image holds the key nowhere in its config or history.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { DOCKER, docker, requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, removeProject } from '../helpers/project.ts';

const SECRET = 'Zq9XwKp7Lm3Rt8Vy-e2e-build-arg';

describe('a secret in a build arg is refused on the real engine; nothing is built', () => {
  let p: ExampleProject;
  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject({ ADMIN_REINGEST_KEY: SECRET, APP_COMMAND: 'python3 -m app.main --key ${ADMIN_REINGEST_KEY}' });
  });
  afterAll(() => removeProject(p));

  const exists = (tag: string) => spawnSync(DOCKER, ['image', 'inspect', tag], { stdio: 'ignore' }).status === 0;

  it.each([
    ['env-check', []],
    ['docker-build', ['--tag', 'TAG']],
    ['docker-dev', ['--tag', 'TAG']],
  ])('%s fails naming APP_COMMAND, .env:N and the fix; no image, no secret printed', (task, args) => {
    const r = runCli([task, ...args.map((a) => (a === 'TAG' ? p.tag : a))], { cwd: p.dir });
    expect(r.code).not.toBe(0);
    expect(r.all).toMatch(/\.env:3.*APP_COMMAND holds the secret ADMIN_REINGEST_KEY/);
    expect(r.all).toContain('at run time');
    expect(r.all).not.toContain(SECRET);
    expect(exists(p.tag)).toBe(false);
  });

  it('a command that reads the key at run time builds, and the image holds the key nowhere', () => {
    writeFileSync(
      path.join(p.dir, '.env'),
      `ADMIN_REINGEST_KEY=${SECRET}\nAPP_PORT=${p.port}\nAPP_COMMAND=python3 -m app.main --key-file /run/secrets/admin_reingest_key\n`,
    );
    const r = runCli(['docker-build', '--tag', p.tag], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    const inspect = docker('image', 'inspect', p.tag);
    expect(inspect).toContain('APP_COMMAND=python3 -m app.main --key-file');
    expect(inspect).not.toContain(SECRET);
    expect(docker('history', '--no-trunc', p.tag)).not.toContain(SECRET);
  });
});
