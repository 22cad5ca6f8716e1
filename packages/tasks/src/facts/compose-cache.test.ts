import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pluginDirs } from './client-cache.ts';
import { gatherCompose } from './compose.ts';
import { composeCache } from './compose-cache.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'compose-cache-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const v1 = { kind: 'v1' as const, argv: ['docker-compose'], version: '1.29.2', env: { SETUPTOOLS_USE_DISTUTILS: 'stdlib' } };

describe('the compose fact, remembered between runs', () => {
  function setUp() {
    const root = temp();
    chmodSync(root, 0o700);
    const bin = path.join(temp(), 'docker');
    writeFileSync(bin, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const onPath = temp();
    const compose = path.join(onPath, 'docker-compose');
    writeFileSync(compose, '#!/bin/sh\necho 1.29.2\n', { mode: 0o755 });
    return { root, bin, onPath, compose, env: { HOME: temp(), PATH: onPath } };
  }

  it('holds until the docker binary, a compose plugin or the docker-compose on PATH changes', () => {
    const { root, bin, compose, env } = setUp();
    composeCache(root, env).save(bin, v1);
    expect(composeCache(root, env).get(bin)).toEqual(v1);
    expect(composeCache(undefined, env).get(bin)).toBeUndefined();
    // docker-compose upgraded in place.
    utimesSync(compose, new Date(2000, 1, 1), new Date(2000, 1, 1));
    expect(composeCache(root, env).get(bin)).toBeUndefined();
    composeCache(root, env).save(bin, v1);
    // A compose v2 plugin installed for the user: asked again.
    const plugins = pluginDirs(env)[0] as string;
    mkdirSync(plugins, { recursive: true });
    writeFileSync(path.join(plugins, 'docker-compose'), 'x', { mode: 0o755 });
    expect(composeCache(root, env).get(bin)).toBeUndefined();
    composeCache(root, env).save(bin, v1);
    // Another docker-compose comes first on PATH.
    const other = temp();
    writeFileSync(path.join(other, 'docker-compose'), '#!/bin/sh\necho 1.28.0\n', { mode: 0o755 });
    expect(composeCache(root, { ...env, PATH: `${other}${path.delimiter}${env.PATH}` }).get(bin)).toBeUndefined();
    // The docker binary replaced.
    expect(composeCache(root, env).get(bin)).toEqual(v1);
    utimesSync(bin, new Date(2000, 1, 1), new Date(2000, 1, 1));
    expect(composeCache(root, env).get(bin)).toBeUndefined();
  });

  it('is probed once, then read; a missing compose is never remembered', async () => {
    const { root, bin, onPath, env } = setUp();
    const cache = composeCache(root, env);
    // The probe spawns with this process's PATH: a fake docker-compose first on it.
    const saved = process.env.PATH;
    process.env.PATH = `${onPath}${path.delimiter}${saved}`;
    try {
      expect(await gatherCompose(bin, onPath, cache)).toEqual(v1);
    } finally {
      process.env.PATH = saved;
    }
    expect(cache.get(bin)).toEqual(v1);
    // Now read without a process: a docker-compose that would answer otherwise is not asked.
    expect(await gatherCompose(bin, onPath, cache)).toEqual(v1);
    const empty = temp();
    const none = composeCache(root, { ...env, PATH: empty });
    const savedPath = process.env.PATH;
    process.env.PATH = empty;
    try {
      expect(await gatherCompose(bin, empty, none)).toBeUndefined();
    } finally {
      process.env.PATH = savedPath;
    }
    expect(none.get(bin)).toBeUndefined();
  });
});

describe('compose v1 without the setuptools distutils shim', () => {
  async function flavourOf(script: string) {
    const dir = mkdtempSync(path.join(tmpdir(), 'compose-shim-'));
    dirs.push(dir);
    const bin = path.join(dir, 'docker');
    writeFileSync(bin, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    writeFileSync(path.join(dir, 'docker-compose'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = `${dir}${path.delimiter}${saved}`;
    try {
      return await gatherCompose(bin, dir);
    } finally {
      process.env.PATH = saved;
    }
  }

  it('runs with the standard library distutils where compose starts with it', async () => {
    expect(await flavourOf('echo 1.29.2')).toEqual(v1);
  });

  it('runs as it is where it does not (Python 3.12 has no distutils of its own)', async () => {
    const fails = '[ "$SETUPTOOLS_USE_DISTUTILS" = stdlib ] && { echo "No module named distutils" >&2; exit 1; }; echo 1.29.2';
    expect(await flavourOf(fails)).toEqual({ kind: 'v1', argv: ['docker-compose'], version: '1.29.2' });
  });
});
