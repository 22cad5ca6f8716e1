/**
 * Registry: pulls through a Docker Hub mirror, and a build cache shared between machines. A local registry
 * (docker-registry on loopback) is seeded with the offline-built images under their upstream names; every runner
 * is a fresh second dockerd (test/helpers/second-daemon.ts: no image, no build cache) that pulls through it.
 * Cold: runner A builds with --shared-cache (nothing to import yet) and pushes the cache. Warm: runner B, a
 * fresh machine, builds a source-only change with the same flag. Both have their bases pulled first, so the
 * figures are the build step alone, as the CLI measures it. Reads the shared engine only to seed (skopeo).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { seedRegistry, startRegistry } from '../../test/helpers/registry.ts';
import { type SecondDaemon, startDaemon } from '../../test/helpers/second-daemon.ts';
import { cli, docker, exampleProject, type Suite, task } from './_util.ts';

function timedPull(d: SecondDaemon, ref: string): { seconds: number; mb: number } {
  const started = process.hrtime.bigint();
  const r = spawnSync(docker, ['pull', ref], { env: { ...process.env, ...d.env }, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`docker pull ${ref} failed: ${r.stderr}`);
  return { seconds, mb: Number(d.docker('image', 'inspect', '--format', '{{.Size}}', ref).trim()) / 1e6 };
}

/** How long choosing images takes when a registry accepts connections and never answers (the fact's deadline at work). */
async function giveUp(d: SecondDaemon, dir: string, record: Parameters<Suite>[0]['record']): Promise<void> {
  const silent = net.createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const image = `127.0.0.1:${(silent.address() as net.AddressInfo).port}/team/python:3.12-slim`;
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [cli, '--', 'docker-build', '--dry-run'], {
      cwd: dir,
      env: { ...process.env, ...d.env, CI: 'true', PYTHON_IMAGE: image },
      encoding: 'utf8',
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0 || !r.stdout.includes('the registry did not answer within'))
      throw new Error(`expected a plan that gives up on ${image}:\n${r.stdout}${r.stderr}`);
    record({
      id: 'registry.give-up',
      value: Number(seconds.toFixed(2)),
      unit: 's',
      text: `a registry that accepts connections and never answers: docker-build --dry-run gave up on it and planned in ${seconds.toFixed(2)} s (the fact's deadline is 3 s)`,
    });
  } finally {
    silent.close();
    d.stop();
  }
}

function buildSeconds(stdout: string): number {
  const m = /built \S+ \(target production\): [\d.]+ MB in ([\d.]+) s/.exec(stdout);
  if (!m) throw new Error(`no build time in:\n${stdout}`);
  return Number(m[1]);
}

export const registrySuite: Suite = async ({ rt, record }) => {
  const reg = await startRegistry();
  const uv = `${reg.host}/astral-sh/uv:0.9`;
  const dir = exampleProject(18950, { UV_IMAGE: uv });
  const tag = `bench-${path.basename(dir).toLowerCase()}:latest`;
  const cacheRef = `${reg.host}/team/bench:cache`;
  const daemons: SecondDaemon[] = [];
  const fresh = async () => {
    const d = await startDaemon({ mirror: reg.url });
    daemons.push(d);
    return d;
  };
  try {
    seedRegistry(reg, {
      'python:3.12-slim': OFFLINE_IMAGES.PYTHON_IMAGE,
      'ollama/ollama:latest': OFFLINE_IMAGES.OLLAMA_IMAGE,
      'astral-sh/uv:0.9': OFFLINE_IMAGES.UV_IMAGE,
    });

    await giveUp(await fresh(), dir, record);

    for (const [id, ref] of [
      ['python', 'python:3.12-slim'],
      ['ollama', 'ollama/ollama:latest'],
    ] as const) {
      // Each on an engine of its own: the two share their base layer, and a second pull would fetch only the rest.
      const puller = await fresh();
      const p = timedPull(puller, ref);
      puller.stop();
      record({
        id: `registry.pull-${id}`,
        value: Number(p.seconds.toFixed(2)),
        unit: 's',
        text: `pull ${ref} through the mirror on an empty engine: ${p.seconds.toFixed(2)} s for ${p.mb.toFixed(0)} MB (${(p.mb / p.seconds).toFixed(0)} MB/s, loopback)`,
      });
    }

    const a = await fresh();
    timedPull(a, 'python:3.12-slim');
    timedPull(a, uv);
    const cold = buildSeconds(task(['docker-build', '--tag', tag, '--shared-cache', cacheRef], dir, a.env));
    a.stop();

    const b = await fresh();
    timedPull(b, 'python:3.12-slim');
    timedPull(b, uv);
    appendFileSync(path.join(dir, 'src', 'app', 'main.py'), '\n# a source-only change\n');
    const out = task(['docker-build', '--tag', tag, '--shared-cache', cacheRef], dir, b.env);
    if (!out.includes(`importing cache manifest from ${cacheRef}`)) throw new Error(`runner B did not import the shared cache:\n${out}`);
    const warm = buildSeconds(out);
    b.stop();

    record({ id: 'registry.cache-cold', value: cold, unit: 's', text: `docker-build on a fresh engine, nothing to import (runner A): ${cold.toFixed(1)} s` });
    record({
      id: 'registry.cache-warm',
      value: warm,
      unit: 's',
      text: `docker-build of a source-only change on another fresh engine, cache imported from the registry (runner B): ${warm.toFixed(1)} s (${(cold / warm).toFixed(1)}x faster than cold; the example service has no third-party dependencies, so this is the venv, user and layer work alone)`,
    });
    rt.log('registry: every runner was a fresh second dockerd pulling through a local registry mirror');
  } finally {
    for (const d of daemons) d.stop();
    reg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
