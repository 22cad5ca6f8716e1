import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.ts';
import { docker, requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, projectVolumes, removeProject } from '../helpers/project.ts';

const MB = 1_000_000;

function inVolume(volume: string, script: string): string {
  return docker('run', '--rm', '--network', 'none', '-v', `${volume}:/v`, '--entrypoint', 'sh', OFFLINE_IMAGES.PYTHON_IMAGE, '-c', script);
}

/** Independent of the task's own check: every file's sha256, sorted, plus symlinks and modes. */
function listing(volume: string): string {
  return inVolume(volume, 'cd /v && find . -type f -print0 | sort -z | xargs -0 sha256sum; find . -printf "%p %m %y %l\\n" | sort');
}

function latestBackup(dir: string): string {
  return readdirSync(path.join(dir, '.backups'))
    .filter((f) => /^\d{8}T/.test(f))
    .sort()
    .at(-1) as string;
}

describe('backup and restore of named volumes', () => {
  let p: ExampleProject;
  let volume: string;

  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject();
    volume = `${p.name}_models`;
    docker('volume', 'create', '--label', `com.docker.compose.project=${p.name}`, volume);
    inVolume(
      volume,
      'head -c 300000000 /dev/urandom > /v/model.bin && mkdir -p /v/blobs/sha256 && echo manifest > /v/blobs/sha256/abc && chmod 0640 /v/blobs/sha256/abc && ln -s blobs/sha256/abc /v/latest',
    );
  });
  afterAll(() => removeProject(p));

  it('round-trips a few hundred MB byte for byte, with a manifest of hashes and versions', () => {
    const original = listing(volume);
    const r = runCli(['backup', '--volumes'], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`volume ${volume}: [\\d.]+ MB of ~[\\d.]+ MB \\(\\d+%\\)`));
    const id = latestBackup(p.dir);
    const manifest = JSON.parse(readFileSync(path.join(p.dir, '.backups', id, 'manifest.json'), 'utf8'));
    expect(manifest.volumes).toEqual([expect.objectContaining({ name: volume, size: expect.any(Number), sha256: expect.stringMatching(/^[a-f0-9]{64}$/) })]);
    expect(manifest.volumes[0].size).toBeGreaterThan(300 * MB);
    expect(manifest.engine.version).toMatch(/\d+\.\d+/);
    expect(manifest.files.map((f: { path: string }) => f.path)).toContain('.env');
    expect(statSync(path.join(p.dir, '.backups', id, 'files', '.env')).mode & 0o777).toBe(0o600);
    expect(r.all).not.toContain('e2e-admin-key-0123456789abcdef');
    inVolume(volume, 'rm /v/model.bin && echo junk > /v/junk');
    expect(listing(volume)).not.toBe(original);
    const back = runCli(['restore', id, '--volumes'], { cwd: p.dir });
    expect(back.code, back.all).toBe(0);
    expect(back.stdout).toContain(`restored volume ${volume}: 2 files, content matches the backup`);
    expect(listing(volume)).toBe(original);
  });

  it('a corrupted backup is caught by --verify and by restore, which then changes nothing', () => {
    const id = latestBackup(p.dir);
    const tar = path.join(p.dir, '.backups', id, 'volumes', `${volume}.tar`);
    const fd = openSync(tar, 'r+');
    const at = Math.floor(statSync(tar).size / 2);
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, at);
    writeSync(fd, Buffer.from([byte[0] === 0 ? 1 : 0]), 0, 1, at);
    closeSync(fd);
    const verify = runCli(['backup', '--verify', id], { cwd: p.dir });
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain(`volume ${volume}: volumes/${volume}.tar does not match its sha256`);
    const before = listing(volume);
    const restore = runCli(['restore', id, '--volumes'], { cwd: p.dir });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain(`backup ${id} does not verify, so nothing was restored`);
    expect(listing(volume)).toBe(before);
  });

  it('Ctrl-C while a volume streams: exit 130, the helper container is gone, and no backup is listed as complete', async () => {
    const complete = () => readdirSync(path.join(p.dir, '.backups')).filter((f) => existsSync(path.join(p.dir, '.backups', f, 'manifest.json')));
    const before = complete();
    const child = startCli(['backup', '--volumes'], { cwd: p.dir });
    let out = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        if (new RegExp(`volume ${volume}: `).test(out)) resolve();
      }),
    );
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    // This project's helpers (their label is `<project>.<backup id>`): another engine run may be backing up its own.
    const helpers = docker('ps', '-a', '--filter', 'label=com.promtior.tasks.helper', '--format', '{{.Label "com.promtior.tasks.helper"}}');
    expect(helpers.split('\n').filter((l) => l.startsWith(`${p.name}.`))).toEqual([]);
    expect(complete()).toEqual(before);
  });

  it('docker-clean --volumes never removes a volume whose backup failed', () => {
    const target = exampleProject();
    try {
      docker('volume', 'create', '--label', `com.docker.compose.project=${target.name}`, `${target.name}_data`);
      writeFileSync(path.join(target.dir, '.backups'), 'a file where the backup folder should be');
      const r = runCli(['docker-clean', '--volumes', '--yes'], { cwd: target.dir });
      expect(r.code).not.toBe(0);
      expect(projectVolumes(target.name)).toEqual([`${target.name}_data`]);
      expect(r.stdout).toMatch(/↓ +docker-clean|✖ +docker-clean/);
    } finally {
      removeProject(target);
    }
  });
});
