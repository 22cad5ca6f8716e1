import { appendFileSync, cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { docker, requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, removeProject } from '../helpers/project.ts';

const LABEL = 'com.promtior.tasks.fingerprint';

/** The engine's own image events for `tag` between two instants (what a build, a tag or a removal leaves). */
function imageEvents(tag: string, since: number, until: number): string[] {
  return docker(
    'events',
    '--since',
    (since / 1000).toFixed(3),
    '--until',
    (until / 1000).toFixed(3),
    '--filter',
    'type=image',
    '--format',
    '{{.Action}} {{.Actor.Attributes.name}} {{.Actor.ID}}',
  )
    .split('\n')
    .filter((l) => l.includes(tag.replace(/:latest$/, '')));
}

describe('docker-build knows when nothing changed', () => {
  let p: ExampleProject;
  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject();
  });
  afterAll(() => removeProject(p));

  it('builds once, labels the image with its fingerprint, and then runs no docker build until something it can see changes', () => {
    const build = (env: Record<string, string> = {}) => runCli(['docker-build', '--tag', p.tag], { cwd: p.dir, env });
    const first = build();
    expect(first.code, first.all).toBe(0);
    const id = docker('image', 'inspect', '--format', '{{.Id}}', p.tag).trim();
    expect(docker('image', 'inspect', '--format', `{{index .Config.Labels "${LABEL}"}}`, p.tag).trim()).toMatch(/^[0-9a-f]{64}$/);

    const since = Date.now();
    // A label that would differ on every run (the build date) is no input: still nothing to build.
    const again = build({ SOURCE_DATE_EPOCH: '1234567890' });
    const until = Date.now() + 1000;
    expect(again.code, again.all).toBe(0);
    expect(again.stdout).not.toContain(' build --progress');
    expect(again.stdout).toMatch(/✔ docker-build +\d+ ms +up to date/);
    expect(imageEvents(p.tag, since, until)).toEqual([]);
    expect(docker('image', 'inspect', '--format', '{{.Id}}', p.tag).trim()).toBe(id);

    // A file in the build context changes: the build runs (and the engine says so).
    appendFileSync(path.join(p.dir, 'src', 'app', 'main.py'), '\n# a change the build can see\n');
    const changedAt = Date.now();
    const changed = build();
    expect(changed.code, changed.all).toBe(0);
    expect(changed.stdout).toMatch(/ok \(.*src\/app\/main\.py changed/);
    expect(imageEvents(p.tag, changedAt, Date.now() + 1000).some((e) => e.startsWith('tag '))).toBe(true);

    // .env is left out of the context by the .dockerignore: editing it changes nothing the build can see.
    appendFileSync(path.join(p.dir, '.env'), 'LOG_LEVEL=DEBUG\n');
    expect(build().stdout).toMatch(/✔ docker-build +\d+ ms +up to date/);

    // The same sources in a folder of another name are another compose project, and docker-clean removes images by
    // their project label: the copy builds its own image instead of finding the first folder's "up to date".
    const copy = `${p.dir}copy`;
    cpSync(p.dir, copy, { recursive: true });
    try {
      const moved = runCli(['docker-build', '--tag', p.tag], { cwd: copy });
      expect(moved.code, moved.all).toBe(0);
      // The copy has no record of its own yet: the image's label is all it compares with.
      expect(moved.stdout).toMatch(/✔ docker-build +\d+ ms +ok \(.* was built from other inputs\)/);
      expect(docker('image', 'inspect', '--format', '{{index .Config.Labels "com.promtior.tasks.project"}}', p.tag).trim()).toBe(`${p.name}copy`);
    } finally {
      // The copy's image is labelled with the copy's project: removeProject(p) would not find it.
      removeProject({ ...p, dir: copy, name: `${p.name}copy` });
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
