import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { DOCKER, requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, removeProject } from '../helpers/project.ts';

describe('docker-build --cache-from / --cache-to (CI runners sharing layers)', () => {
  let p: ExampleProject;
  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject();
  });
  afterAll(() => removeProject(p));

  it('an inline cache exported by one build is imported by the next, even with the local build cache gone', () => {
    const first = runCli(['docker-build', '--tag', `${p.tag.replace(':latest', ':cache')}`, '--cache-to', 'inline'], { cwd: p.dir });
    expect(first.code, first.all).toBe(0);
    expect(first.stdout).toContain('--build-arg BUILDKIT_INLINE_CACHE=1');
    // A fresh CI runner: no build cache at all, only the image (it would come from the registry).
    expect(spawnSync(DOCKER, ['builder', 'prune', '-af'], { stdio: 'ignore' }).status).toBe(0);
    appendFileSync(path.join(p.dir, 'src', 'app', 'main.py'), '\n# a source-only change\n');
    const second = runCli(['docker-build', '--tag', p.tag, '--cache-from', p.tag.replace(':latest', ':cache')], { cwd: p.dir });
    expect(second.code, second.all).toBe(0);
    expect(second.stdout).toContain(`importing cache manifest from ${p.tag.replace(':latest', ':cache')}`);
    const step = second.stdout.match(/#(\d+) \[dependencies \d\/\d\] RUN .*uv pip install/)?.[1];
    expect(step).toBeDefined();
    expect(second.stdout).toContain(`#${step} CACHED`);
  });
  // A registry export refused without buildx: a plan test (packages/tasks/src/builtins/docker-tasks.plan.test.ts).
});
