/**
 * docker-push, --sign, verify-signature and docker-run --verify-signature against a real registry on loopback,
 * with a throwaway GPG key in a temp GNUPGHOME. The images are built on a second dockerd (test/helpers), so the
 * pushes, tags and pulls never touch the shared engine.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, runCli } from '../helpers/cli.ts';
import { requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject } from '../helpers/project.ts';
import { type LocalRegistry, registryImage, registryTags, seedRegistry, startRegistry } from '../helpers/registry.ts';
import { type SecondDaemon, startDaemon } from '../helpers/second-daemon.ts';

const PASSWORD = 'pushers-S3cret-0123456789';
const VERSION = '1.4.0';

function sh(cwd: string, argv: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(argv[0] as string, argv.slice(1), { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

const homes: string[] = [];

/** A throwaway signing key in its own GNUPGHOME; returns the home and the armored public key file. */
function gpgKey(email: string): { home: string; publicKey: string } {
  const home = mkdtempSync(path.join(tmpdir(), 'gnupg-'));
  homes.push(home);
  sh(home, ['gpg', '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', `Release <${email}>`, 'rsa2048', 'sign', 'never'], {
    GNUPGHOME: home,
  });
  const publicKey = path.join(home, 'public.asc');
  writeFileSync(publicKey, sh(home, ['gpg', '--armor', '--export', email], { GNUPGHOME: home }));
  return { home, publicKey };
}

/** The CLI with text on its stdin (runCli has none). */
function runWithInput(args: string[], cwd: string, env: Record<string, string>, input: string) {
  const r = spawnSync(process.execPath, [BIN, '--', ...args], { cwd, env: cliEnv(env), input, encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}

function commitAll(dir: string, message: string): string {
  sh(dir, ['git', 'add', '-A']);
  sh(dir, ['git', '-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-q', '-m', message]);
  return sh(dir, ['git', 'rev-parse', 'HEAD']).trim();
}

describe('docker-push, signing and verification against a real registry', () => {
  let reg: LocalRegistry;
  let authReg: LocalRegistry;
  let d: SecondDaemon;
  let p: ExampleProject;
  let signer: { home: string; publicKey: string };
  let env: Record<string, string>;
  let revision: string;
  let repository: string;
  let digest: string;

  beforeAll(async () => {
    requireEngineAndImages();
    reg = await startRegistry();
    seedRegistry(reg, { 'python:3.12-slim': OFFLINE_IMAGES.PYTHON_IMAGE, 'ollama/ollama:latest': OFFLINE_IMAGES.OLLAMA_IMAGE });
    // bcrypt at its lowest cost (4, i.e. 16 rounds): the registry checks the password on every request of a push, and
    // the default cost (12) made each check take ~0.2 s of a core (python3 crypt, measured here). Still bcrypt, so the auth path is the same.
    const hash = sh(tmpdir(), [
      'python3',
      '-W',
      'ignore',
      '-c',
      `import crypt; print(crypt.crypt(${JSON.stringify(PASSWORD)}, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))`,
    ]).trim();
    authReg = await startRegistry({ htpasswd: `pusher:${hash}\n` });
    d = await startDaemon({ mirror: reg.url });
    signer = gpgKey('release@example.invalid');
    // Docker's own config of this run: what a login would store lands here, where the test can look.
    const dockerConfig = mkdtempSync(path.join(tmpdir(), 'docker-config-'));
    env = { ...d.env, GNUPGHOME: signer.home, DOCKER_CONFIG: dockerConfig };
    p = exampleProject();
    mkdirSync(path.join(p.dir, 'keys'));
    cpSync(signer.publicKey, path.join(p.dir, 'keys', 'release.asc'));
    writeFileSync(path.join(p.dir, 'package.json'), JSON.stringify({ name: 'shop', private: true, version: VERSION }));
    writeFileSync(
      path.join(p.dir, 'tasks.config.ts'),
      `import { defineConfig } from '@promtior/tasks';\nexport default defineConfig({ image: '${p.tag}', registry: '${reg.host}/team', signing: { key: 'release@example.invalid', publicKey: 'keys/release.asc' } });\n`,
    );
    writeFileSync(path.join(p.dir, '.gitignore'), 'node_modules\n.env\n');
    sh(p.dir, ['git', 'init', '-q']);
    revision = commitAll(p.dir, 'first');
    repository = `${reg.host}/team/${p.tag.split(':')[0]}`;
    const built = runCli(['docker-build'], { cwd: p.dir, env });
    if (built.code !== 0) throw new Error(`docker-build failed:\n${built.all}`);
  });
  afterAll(() => {
    d?.stop();
    reg?.stop();
    authReg?.stop();
    // gpg (and skopeo through it) started an agent per home: stop each, then remove the homes.
    for (const home of homes) {
      spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: home } });
      rmSync(home, { recursive: true, force: true });
    }
    if (env?.DOCKER_CONFIG) rmSync(env.DOCKER_CONFIG, { recursive: true, force: true });
  });

  it('pushes the revision and version tags as one digest, prints it, and records the release', async () => {
    const r = runCli(['docker-push'], { cwd: p.dir, env });
    expect(r.code, r.all).toBe(0);
    expect((await registryTags(reg, `team/${p.tag.split(':')[0]}`)).sort()).toEqual([revision, VERSION].sort());
    const byRevision = await registryImage(reg, `team/${p.tag.split(':')[0]}`, revision);
    const byVersion = await registryImage(reg, `team/${p.tag.split(':')[0]}`, VERSION);
    digest = byRevision.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(byVersion.digest).toBe(digest);
    expect(r.stdout).toContain(`${repository}@${digest}`);
    const record = readFileSync(path.join(p.dir, '.releases', 'images.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(JSON.parse(record.at(-1) as string)).toMatchObject({ repository, tags: [revision, VERSION], digest, revision, version: VERSION, signed: false });
  });

  it('refuses a dirty tree unless --allow-dirty, and then tags it <sha>-dirty', () => {
    appendFileSync(path.join(p.dir, 'src', 'app', 'main.py'), '\n# uncommitted\n');
    try {
      const r = runCli(['docker-push'], { cwd: p.dir, env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('the work tree has uncommitted changes');
      expect(r.stderr).toContain('--allow-dirty');
      expect(r.stdout).not.toMatch(/\$ \S+ push /);
    } finally {
      sh(p.dir, ['git', 'checkout', '--', 'src/app/main.py']);
    }
  });

  it('--password-stdin logs in from stdin only: the password is in no output, and Docker stores no credential', async () => {
    const dir = p.dir;
    let started = Date.now();
    const wrong = runWithInput(
      ['docker-push', '--registry', `${authReg.host}/team`, '--username', 'pusher', '--password-stdin'],
      dir,
      env,
      'not-the-password\n',
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.all).toMatch(/unauthorized|incorrect username or password/i);
    console.info(`wrong password refused after ${Date.now() - started} ms`);
    started = Date.now();
    const r = runWithInput(['docker-push', '--registry', `${authReg.host}/team`, '--username', 'pusher', '--password-stdin'], dir, env, `${PASSWORD}\n`);
    expect(r.code, r.all).toBe(0);
    expect(r.all).not.toContain(PASSWORD);
    console.info(`--password-stdin push took ${Date.now() - started} ms`);
    const auth = { authorization: `Basic ${Buffer.from(`pusher:${PASSWORD}`).toString('base64')}` };
    expect((await registryTags(authReg, `team/${p.tag.split(':')[0]}`, auth)).sort()).toEqual([revision, VERSION].sort());
    // BuildKit keeps its node id there; what matters is that no login was stored.
    expect(readdirSync(env.DOCKER_CONFIG as string).filter((f) => f !== '.buildNodeID')).toEqual([]);
  });

  it('--sign signs the pushed digest (the digest does not change); verify-signature and docker-run --verify-signature accept it', async () => {
    const r = runCli(['docker-push', '--sign'], { cwd: p.dir, env });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain(`signed ${repository}@${digest} with release@example.invalid`);
    expect((await registryImage(reg, `team/${p.tag.split(':')[0]}`, revision)).digest).toBe(digest);
    expect(readdirSync(path.join(p.dir, '.releases', 'signatures', 'team', `${p.tag.split(':')[0]}@${digest.replace(':', '=')}`))).toEqual(['signature-1']);
    const v = runCli(['verify-signature', `${repository}:${VERSION}`], { cwd: p.dir, env });
    expect(v.code, v.all).toBe(0);
    expect(v.stdout).toContain(`${repository}:${VERSION} is signed by the key in keys/release.asc (${digest})`);
    const run = runCli(['docker-run', '--no-build', '--verify-signature', '--tag', `${repository}:${revision}`, '--timeout', '120'], { cwd: p.dir, env });
    expect(run.code, run.all).toBe(0);
    expect(run.stdout).toMatch(/answered \/ready/);
    expect(runCli(['docker-clean'], { cwd: p.dir, env }).code).toBe(0);
  });

  it('refuses an unsigned image, one changed after signing, and one signed by another key, with a clear error; nothing runs', () => {
    writeFileSync(
      path.join(p.dir, 'src', 'app', 'main.py'),
      readFileSync(path.join(p.dir, 'src', 'app', 'main.py'), 'utf8').replace('VERSION = "1"', 'VERSION = "2"'),
    );
    const second = commitAll(p.dir, 'second');
    expect(runCli(['docker-build'], { cwd: p.dir, env }).code).toBe(0);
    expect(runCli(['docker-push'], { cwd: p.dir, env }).code).toBe(0);
    const unsigned = `${repository}:${second}`;

    const a = runCli(['verify-signature', unsigned], { cwd: p.dir, env });
    expect(a.code).toBe(1);
    expect(a.stderr).toContain(`${unsigned} is not signed: no signature for its digest in file://${p.dir}/.releases/signatures. Nothing was run. Fix: sign it`);
    const run = runCli(['docker-run', '--no-build', '--verify-signature', '--tag', unsigned], { cwd: p.dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${unsigned} is not signed`);
    expect(d.docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${p.name}`).trim()).toBe('');

    // Tampered: the first digest's signature put where the new content's would be.
    const sigs = path.join(p.dir, '.releases', 'signatures', 'team');
    const name = p.tag.split(':')[0] as string;
    const newDigest = JSON.parse(
      readFileSync(path.join(p.dir, '.releases', 'images.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .at(-1) as string,
    ).digest as string;
    cpSync(path.join(sigs, `${name}@${digest.replace(':', '=')}`), path.join(sigs, `${name}@${newDigest.replace(':', '=')}`), { recursive: true });
    const b = runCli(['verify-signature', unsigned], { cwd: p.dir, env });
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`${unsigned} does not match its signature: the signature found was made for other content`);

    const other = gpgKey('other@example.invalid');
    const c = runCli(['verify-signature', `${repository}:${revision}`, '--key', other.publicKey], { cwd: p.dir, env });
    expect(c.code).toBe(1);
    expect(c.stderr).toContain(`${repository}:${revision} is signed, but not by the key in ${other.publicKey}`);
  });
});
