import { beforeAll, describe, expect, it } from 'vitest';
import { GOOD_KEY, runCli, tempRepo } from '../helpers/cli.ts';
import { engineState, requireEngine, treeState } from '../helpers/docker.ts';

describe('--dry-run changes nothing (file tree and Docker state compared before and after)', () => {
  beforeAll(requireEngine);

  it.each([
    ['docker-build'],
    ['docker-build', '--target', 'development', '--no-cache'],
    ['docker-run'],
    ['docker-dev'],
    ['docker-clean', '--volumes', '--yes'],
    ['backup', '--volumes'],
    ['migrate', '--strategy', 'keep-both'],
    ['env-check'],
    ['doctor'],
  ])('%s', (...args) => {
    const dir = tempRepo({
      '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n`,
      Dockerfile: 'FROM scratch\n',
      'docker-compose.full.yml': 'services: {}\n',
      'docker-compose.dev.yml': 'services: {}\n',
    });
    const files = treeState(dir);
    const engine = engineState();
    const r = runCli([...args, '--dry-run'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# dry run: nothing below was executed\n# task /);
    expect(r.stdout).not.toContain(GOOD_KEY);
    expect(treeState(dir)).toBe(files);
    expect(engineState()).toBe(engine);
  });

  it('prints the exact docker commands in order', () => {
    const dir = tempRepo({ '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\nAPP_PORT=8123\n` });
    const lines = runCli(['docker-run', '--dry-run'], { cwd: dir }).stdout.split('\n');
    const build = lines.findIndex((l) =>
      / build --progress=plain --target production --tag promtior-assistant:latest --file \S+\/docker-assets\/assets\/Dockerfile --build-arg APP_PORT=8123 --build-arg PYTHON_IMAGE=\S+ --build-arg UV_IMAGE=\S+ /.test(
        l,
      ),
    );
    const up = lines.findIndex((l) =>
      /compose.* -f \S+\/docker-compose\.full\.yml -p task-e2e-\w+ --project-directory \S+ --ansi never .*up -d --no-build --remove-orphans\)?$/.test(l),
    );
    expect(build, lines.join('\n')).toBeGreaterThan(0);
    expect(up, lines.join('\n')).toBeGreaterThan(build);
    expect(lines[build]).toMatch(/DOCKER_BUILDKIT=1 \S*docker build/);
    expect(lines[up]).toContain('APP_HOST_PORT=8123');
  });
});
