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
