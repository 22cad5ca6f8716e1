import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempRepo } from '../helpers/cli.ts';
import { requireEngine } from '../helpers/docker.ts';

describe('doctor', () => {
  beforeAll(requireEngine);

  it('passes on this machine and says which docker, BuildKit and Compose it found', () => {
    const r = runCli(['doctor']);
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(/✔ docker client: /);
    expect(r.stdout).toMatch(/✔ BuildKit: /);
    expect(r.stdout).toMatch(/✔ Docker daemon: engine \S+, API \d+\.\d+/);
    expect(r.stdout).toMatch(/✔ Compose: (docker compose \S+ \(v2 plugin\)|docker-compose \S+ \(v1)/);
    expect(r.stdout).toMatch(/✔ project: \S+\/docker\/assistant \(Dockerfile from the assets package\)/);
    expect(r.stdout).toMatch(/✔ build context: Dockerfile\.dockerignore keeps \.env, \.venv, __pycache__, \.git out/);
  });

  it('checks the project up front: a .dockerignore that lets .env through fails with the fix', () => {
    const dir = tempRepo({
      'pyproject.toml': '[project]\nname = "x"\n',
      'src/app/__init__.py': '',
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': '.git\n__pycache__/\n',
    });
    const r = runCli(['doctor'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✔ project: .* \(Dockerfile from the project\)/);
    expect(r.stdout).toMatch(/✖ build context: .*\.dockerignore: \.env, \.venv would be sent to the builder/);
    expect(r.stdout).toContain('fix: add .env, .venv to');
    expect(r.stdout).toMatch(/✔ compose files: parse/);
  });

  it('a stopped daemon: exit 1, the cause and how to start it', () => {
    const r = runCli(['doctor'], { cwd: tempRepo(), env: { DOCKER_HOST: 'unix:///tmp/no-such-docker.sock' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✖ Docker daemon: .*no-such-docker\.sock/);
    expect(r.stdout).toContain('fix: start the daemon');
  });

  it.runIf(existsSync('/usr/local/bin/docker'))('a client without BuildKit: exit 1 and how to get it', () => {
    const r = runCli(['doctor'], { cwd: tempRepo(), env: { DOCKER: '/usr/local/bin/docker' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✖ BuildKit: docker \S+ at \/usr\/local\/bin\/docker has no buildx plugin/);
    expect(r.stdout).toContain('fix: install the buildx plugin');
  });
});
