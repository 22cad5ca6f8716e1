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

  // Which commands, in which order: the golden files of packages/tasks/src/builtins (plans with fake facts).
  it('two dry-runs print the same bytes, as text and as JSON events', () => {
    const dir = tempRepo({ '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\nAPP_PORT=8123\n` });
    // `--images offline`: with auto, the plan quotes the registry's answer, a fact of the outside world that can change
    // between two runs (under load the daemon's DNS lookup outlasts the 3 s deadline, and "cannot reach" becomes "did
    // not answer"). Same facts, same bytes is what is tested; how auto words each answer is in the image-choice tests.
    for (const args of [
      ['docker-run', '--dry-run', '--images', 'offline'],
      ['docker-dev', '--dry-run', '--output', 'json', '--images', 'offline'],
      ['docker-build', '--dry-run', '--target', 'development', '--images', 'offline'],
      ['migrate', '--dry-run'],
      ['backup', '--volumes', '--dry-run'],
    ]) {
      const a = runCli(args, { cwd: dir });
      const b = runCli(args, { cwd: dir });
      expect(a.code, a.all).toBe(0);
      expect(a.stdout).toBe(b.stdout);
      expect(a.stdout).not.toContain(GOOD_KEY);
      if (args.includes('json')) for (const line of a.stdout.trim().split('\n')) expect((JSON.parse(line) as { event: string }).event).toBe('plan');
    }
  });
});
