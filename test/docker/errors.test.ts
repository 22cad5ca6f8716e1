import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { engineState, requireEngine, treeState } from '../helpers/docker.ts';
import { exampleProject, projectContainers } from '../helpers/project.ts';

describe('bad inputs stop the Docker tasks before anything changes', () => {
  beforeAll(requireEngine);

  it.each([['docker-build'], ['docker-run'], ['docker-dev'], ['docker-clean'], ['docker-offline-images', '--force']])(
    '%s with a stopped daemon: exit 1, the address and the fix',
    (...args) => {
      const p = exampleProject();
      const files = treeState(p.dir);
      const started = Date.now();
      const r = runCli(args, { cwd: p.dir, env: { DOCKER_HOST: 'unix:///tmp/no-docker-here.sock' } });
      expect(r.code, r.all).toBe(1);
      expect(r.stderr).toContain('the Docker daemon does not answer at unix:///tmp/no-docker-here.sock');
      expect(r.stderr).toContain('Fix: start it');
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(treeState(p.dir)).toBe(files);
    },
  );

  it('a broken compose file: exit 1 with file:line, nothing started', () => {
    const p = exampleProject();
    writeFileSync(path.join(p.dir, 'docker-compose.full.yml'), 'services:\n  app:\n    image: x\n   ports: ["8000:8000"\n');
    const engine = engineState();
    const r = runCli(['docker-run', '--no-build'], { cwd: p.dir });
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toMatch(/a compose file is broken: docker-compose\.full\.yml:\d+:\d+: .*Fix the file/);
    expect(projectContainers(p.name)).toEqual([]);
    expect(engineState()).toBe(engine);
  });
});
