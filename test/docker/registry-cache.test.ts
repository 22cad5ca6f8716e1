/**
 * A build cache shared between machines through a registry: runner A builds with --shared-cache and pushes it;
 * runner B (a fresh dockerd: no image, no build cache) builds a source-only change with the same flag and reuses
 * the dependency layers. Both pull every base from the registry (uv under the registry's own name), as CI does.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject } from '../helpers/project.ts';
import { type LocalRegistry, registryTags, seedRegistry, startRegistry } from '../helpers/registry.ts';
import { type SecondDaemon, startDaemon } from '../helpers/second-daemon.ts';

/** The BuildKit step number of the line matching `title`, and whether that step was CACHED. */
function stepCached(output: string, title: RegExp): boolean {
  const step = output
    .split('\n')
    .find((l) => title.test(l))
    ?.match(/#(\d+) \[/)?.[1];
  if (!step) throw new Error(`no build step matching ${title} in:\n${output}`);
  return new RegExp(`#${step} CACHED`).test(output);
}

describe('docker-build --shared-cache: runner B reuses what runner A pushed', () => {
  let reg: LocalRegistry;
  let p: ExampleProject;
  const daemons: SecondDaemon[] = [];
  let ref: string;

  beforeAll(async () => {
    requireEngineAndImages();
    reg = await startRegistry();
    seedRegistry(reg, { 'python:3.12-slim': OFFLINE_IMAGES.PYTHON_IMAGE, 'astral-sh/uv:0.9': OFFLINE_IMAGES.UV_IMAGE });
    p = exampleProject({ UV_IMAGE: `${reg.host}/astral-sh/uv:0.9` });
    ref = `${reg.host}/team/${p.name}:cache`;
  });
  afterAll(() => {
    for (const d of daemons) d.stop();
    reg?.stop();
  });

  it('runner A: a cold build exports the cache the classic client can (inline) and pushes it', async () => {
    const a = await startDaemon({ mirror: reg.url });
    daemons.push(a);
    const r = runCli(['docker-build', '--tag', p.tag, '--shared-cache', ref], { cwd: p.dir, env: a.env });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain('--build-arg BUILDKIT_INLINE_CACHE=1');
    expect(r.stdout).toMatch(/shared cache: inline in the image pushed as \S+, the final stage's layers \(docker \S+ has BuildKit built in/);
    expect(stepCached(r.stdout, /\[dependencies \d\/\d\] RUN .*uv pip install/)).toBe(false);
    expect(await registryTags(reg, `team/${p.name}`)).toEqual(['cache']);
    a.stop();
  });

  it('runner B: no image, no build cache; a source-only change reuses the dependency layers from the registry', async () => {
    const b = await startDaemon({ mirror: reg.url });
    daemons.push(b);
    expect(b.images()).toEqual({});
    appendFileSync(path.join(p.dir, 'src', 'app', 'main.py'), '\n# a source-only change\n');
    const r = runCli(['docker-build', '--tag', p.tag, '--shared-cache', ref], { cwd: p.dir, env: b.env });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain(`importing cache manifest from ${ref}`);
    expect(stepCached(r.stdout, /\[dependencies \d\/\d\] RUN .*uv pip install/)).toBe(true);
    expect(stepCached(r.stdout, /\[production \d\/\d\] COPY --chown=appuser:appgroup src/)).toBe(false);
    b.stop();
  });
});
