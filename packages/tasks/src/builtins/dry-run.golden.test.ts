/**
 * Golden --dry-run output of every Docker built-in, planned with fake facts (no engine): the exact commands, in
 * order, with their data flow. `UPDATE_GOLDEN=1` rewrites the files after an intended change; review the diff.
 */
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { describe, expect, it } from 'vitest';
import type { Facts } from '../facts/facts.ts';
import { fakeFacts } from '../facts/fake.ts';
import type { PlanContext, Task } from '../model/task.ts';
import { golden, normalizePlan } from '../run/golden.ts';
import { planOf } from '../run/plan-of.ts';
import { backup } from './backup.ts';
import { dockerBuild } from './docker-build.ts';
import { dockerClean } from './docker-clean.ts';
import { dockerDev } from './docker-dev.ts';
import { dockerOfflineImages } from './docker-offline-images.ts';
import { dockerPush } from './docker-push.ts';
import { dockerRun } from './docker-run.ts';
import { dockerSbom } from './docker-sbom.ts';
import { dockerScan } from './docker-scan.ts';
import { envCheck } from './env-check.ts';
import { verifySignature } from './verify-signature.ts';

const KEY = 'golden-admin-key-0123456789abcdef';
const REGISTRY_IMAGES = { 'python:3.12-slim': 'sha256:1', 'ghcr.io/astral-sh/uv:0.9': 'sha256:2', 'ollama/ollama:latest': 'sha256:3' };

function project(files: Record<string, string> = { '.env': `ADMIN_REINGEST_KEY=${KEY}\nAPP_PORT=8123\n` }): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'golden-'))), 'shop');
  mkdirSync(dir);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const RELEASE_CONFIG = {
  registry: '127.0.0.1:5000/team',
  signing: { key: 'release@example.invalid', publicKey: 'keys/release.asc' },
};

function releaseFiles(): Record<string, string> {
  return {
    '.env': `ADMIN_REINGEST_KEY=${KEY}\nAPP_PORT=8123\n`,
    'package.json': '{ "name": "shop", "version": "1.4.0" }\n',
    'keys/release.asc': '-----BEGIN PGP PUBLIC KEY BLOCK-----\n',
  };
}

interface Case {
  name: string;
  task: Task;
  options?: Record<string, unknown>;
  ctx?: Partial<PlanContext>;
  facts?: Facts;
  files?: Record<string, string>;
  /** Programs put in <project>/bin (on PATH for the plan): installed scanners, mmdebstrap. */
  bin?: string[];
}

const CASES: Case[] = [
  { name: 'env-check', task: envCheck },
  { name: 'docker-build', task: dockerBuild },
  { name: 'docker-build.registry-images', task: dockerBuild, facts: fakeFacts({ images: { byRef: REGISTRY_IMAGES } }) },
  {
    name: 'docker-build.dev-cache',
    task: dockerBuild,
    options: { target: 'development', noCache: true, cacheFrom: ['app:cache'], cacheTo: ['inline', 'type=registry,ref=r/app:cache'] },
  },
  { name: 'docker-build.shared-cache-inline', task: dockerBuild, options: { sharedCache: '127.0.0.1:5000/team/shop:cache' }, facts: mirrorFacts() },
  {
    name: 'docker-build.shared-cache-buildx',
    task: dockerBuild,
    options: { sharedCache: '127.0.0.1:5000/team/shop:cache' },
    facts: fakeFacts({
      docker: { chosen: { bin: '/usr/bin/docker', version: '28.0.1', buildkit: { ok: true, via: 'buildx' } } },
      images: { byRef: REGISTRY_IMAGES },
      registry: { cacheExport: { kind: 'registry', why: 'buildx builder with the docker-container driver' } },
    }),
  },
  { name: 'docker-build.not-git', task: dockerBuild, facts: fakeFacts({ git: { revision: undefined, commitTime: undefined } }) },
  { name: 'docker-build.pull-through-mirror', task: dockerBuild, facts: mirrorFacts() },
  { name: 'docker-build.registry-unreachable', task: dockerBuild, options: { images: 'registry' } },
  { name: 'docker-build.offline', task: dockerBuild, options: { images: 'offline' }, facts: fakeFacts({ images: { byRef: REGISTRY_IMAGES } }) },
  { name: 'docker-run', task: dockerRun },
  { name: 'docker-run.pull-through-mirror', task: dockerRun, facts: mirrorFacts() },
  { name: 'docker-run.no-build.v2-new-engine', task: dockerRun, options: { build: false }, facts: v2NewEngine() },
  { name: 'docker-dev', task: dockerDev },
  { name: 'docker-dev.fresh-clone', task: dockerDev, files: {} },
  { name: 'docker-clean', task: dockerClean },
  { name: 'docker-clean.volumes', task: dockerClean, options: { volumes: true } },
  { name: 'docker-clean.volumes-yes', task: dockerClean, options: { volumes: true }, ctx: { yes: true } },
  { name: 'docker-clean.volumes-yes-no-backup', task: dockerClean, options: { volumes: true, backup: false }, ctx: { yes: true } },
  { name: 'docker-sbom', task: dockerSbom },
  { name: 'docker-sbom.stdout', task: dockerSbom, options: { tag: 'shop:minimal', out: '-' } },
  { name: 'docker-scan.trivy', task: dockerScan, options: { failOn: 'high' }, bin: ['trivy', 'grype'] },
  { name: 'docker-offline-images', task: dockerOfflineImages },
  { name: 'docker-push', task: dockerPush, ctx: { config: RELEASE_CONFIG }, files: releaseFiles() },
  {
    name: 'docker-push.latest-sign-password-stdin',
    task: dockerPush,
    options: { latest: true, sign: true, passwordStdin: true, username: 'ci' },
    ctx: { config: RELEASE_CONFIG },
    files: releaseFiles(),
  },
  { name: 'docker-push.refused', task: dockerPush, facts: fakeFacts({ git: { dirty: true } }) },
  { name: 'verify-signature', task: verifySignature, ctx: { config: RELEASE_CONFIG }, files: releaseFiles() },
  {
    name: 'docker-run.verify-signature',
    task: dockerRun,
    options: { build: false, verifySignature: true, tag: '127.0.0.1:5000/team/shop:1.4.0' },
    ctx: { config: RELEASE_CONFIG },
    files: releaseFiles(),
  },
  { name: 'docker-offline-images.cached', task: dockerOfflineImages, facts: fakeFacts({ images: { byRef: offlinePresent() } }) },
  // mmdebstrap installed as Debian's package lays it out: its merged-/usr hook and the keyring under <prefix>/share.
  {
    name: 'docker-offline-images.mmdebstrap',
    task: dockerOfflineImages,
    bin: ['mmdebstrap'],
    files: { 'share/mmdebstrap/hooks/merged-usr/setup00.sh': '#!/bin/sh\n', 'share/keyrings/debian-archive-keyring.gpg': '' },
  },
];

/** A connected machine on first use: nothing pulled yet; a Docker Hub mirror has Python and Ollama, ghcr.io is out of reach. */
function mirrorFacts(): Facts {
  const base = fakeFacts();
  return fakeFacts({
    registry: {
      mirrors: ['http://127.0.0.1:5000/'],
      pullable: {
        ...base.registry.pullable,
        'python:3.12-slim': { ok: true, digest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111', ms: 9 },
        'ollama/ollama:latest': { ok: true, digest: 'sha256:3333333333333333333333333333333333333333333333333333333333333333', ms: 11 },
      },
    },
  });
}

function v2NewEngine(): Facts {
  return fakeFacts({
    compose: { kind: 'v2', argv: ['/usr/bin/docker', 'compose'], version: '2.29.1' },
    docker: { daemon: { ok: true, version: '27.3.1', api: '1.47' } },
  });
}

function offlinePresent(): Record<string, string> {
  return Object.fromEntries(Object.values(OFFLINE_IMAGES).map((tag, i) => [tag, `sha256:${i}`]));
}

function withBin(dir: string, c: Case): Partial<PlanContext> {
  if (!c.bin) return c.ctx ?? {};
  mkdirSync(path.join(dir, 'bin'));
  for (const name of c.bin) {
    writeFileSync(path.join(dir, 'bin', name), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'bin', name), 0o755);
  }
  return { ...c.ctx, env: { PATH: path.join(dir, 'bin') } };
}

async function dryRun(c: Case): Promise<{ text: string; secrets: string[] }> {
  const dir = project(c.files);
  const r = await planOf(c.task, c.options ?? {}, { cwd: dir, facts: c.facts, tasks: [backup], ...withBin(dir, c) });
  return { text: normalizePlan(`${r.lines.join('\n')}\n`, dir), secrets: r.secrets };
}

describe('golden dry-runs of the Docker built-ins (fake facts, no engine)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const { text } = await dryRun(c);
    expect(text).toBe(golden(path.join(import.meta.dirname, '__golden__', `${name}.txt`), text));
    expect(text).not.toContain(KEY);
  });

  it('two plans of the same inputs are byte-identical', async () => {
    for (const c of CASES) {
      const dir = project(c.files);
      const ctx = withBin(dir, c);
      const plan = async () => (await planOf(c.task, c.options ?? {}, { cwd: dir, facts: c.facts, tasks: [backup], ...ctx })).lines.join('\n');
      expect(await plan(), c.name).toBe(await plan());
    }
  });
});
