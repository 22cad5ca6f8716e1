import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendRelease, RELEASE_RECORD } from './record.ts';
import { imageName, isLoopback, pushedDigest, pushTargets, TAG } from './targets.ts';
import { pyprojectVersion, releaseVersion } from './version.ts';

describe('release version', () => {
  it("package.json's version (changesets), else the project's, else pyproject.toml's [project] version", () => {
    const root = mkdtempSync(path.join(tmpdir(), 'version-'));
    const project = mkdtempSync(path.join(tmpdir(), 'version-project-'));
    expect(releaseVersion([root, project])).toBeUndefined();
    writeFileSync(path.join(project, 'pyproject.toml'), '[tool.x]\nversion = "9"\n[project]\nname = "a"\nversion = "0.3.1"\n');
    expect(releaseVersion([root, project])).toEqual({ version: '0.3.1', file: path.join(project, 'pyproject.toml') });
    writeFileSync(path.join(root, 'package.json'), '{ "private": true }');
    expect(releaseVersion([root, project])?.version).toBe('0.3.1');
    writeFileSync(path.join(root, 'package.json'), '{ "version": "1.4.0" }');
    expect(releaseVersion([root, project])).toEqual({ version: '1.4.0', file: path.join(root, 'package.json') });
  });

  it('reads only the [project] table of pyproject.toml', () => {
    expect(pyprojectVersion('[tool.poetry]\nversion = "2"\n')).toBeUndefined();
    expect(pyprojectVersion("[project]\nversion = '1.0'\n")).toBe('1.0');
  });
});

describe('push targets', () => {
  it('the revision first, then the version, latest on request', () => {
    expect(pushTargets('ghcr.io/team/', 'app', 'abc', '1.2.0', true)).toEqual({ repository: 'ghcr.io/team/app', tags: ['abc', '1.2.0', 'latest'] });
    expect(pushTargets('127.0.0.1:5000', 'app', 'abc-dirty', '1.2.0', false).tags).toEqual(['abc-dirty', '1.2.0']);
  });

  it.each([
    ['promtior-assistant:latest', 'promtior-assistant'],
    ['team/app:1', 'app'],
    ['localhost:5000/team/app', 'app'],
    ['app@sha256:abc', 'app'],
  ])('image name of %s is %s', (ref, name) => expect(imageName(ref)).toBe(name));

  it('loopback registries are plain HTTP; others are not', () => {
    expect(isLoopback('127.0.0.1:5000/team/app')).toBe(true);
    expect(isLoopback('localhost:5000/app')).toBe(true);
    expect(isLoopback('ghcr.io/team/app')).toBe(false);
    expect(isLoopback('team/app')).toBe(false);
  });

  it('reads the digest docker push prints last, and nothing from text that has none', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(pushedDigest(`The push refers to repository [127.0.0.1:5000/team/app]\n5f70bf18a086: Pushed\n1.4.0: digest: ${digest} size: 1781\n`)).toBe(digest);
    fc.assert(fc.property(fc.string(), (s) => pushedDigest(s.replace(/digest/g, '')) === undefined));
  });

  it('a valid tag is what Docker accepts', () => {
    expect(TAG.test('1.4.0')).toBe(true);
    expect(TAG.test('1.4.0+build')).toBe(false);
    expect(TAG.test('-x')).toBe(false);
    expect(TAG.test('a'.repeat(129))).toBe(false);
  });
});

describe('release record', () => {
  it('appends one JSON line per push under .releases/', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'record-'));
    const entry = {
      pushedAt: '2026-01-01T00:00:00.000Z',
      repository: 'r/app',
      tags: ['abc', '1.0.0'],
      digest: 'sha256:1',
      revision: 'abc',
      version: '1.0.0',
      signed: false,
    };
    appendRelease(dir, entry);
    appendRelease(dir, { ...entry, signed: true });
    const lines = readFileSync(path.join(dir, RELEASE_RECORD), 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([entry, { ...entry, signed: true }]);
  });
});
