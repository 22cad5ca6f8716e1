/**
 * A private npm registry for the release tests: Verdaccio on 127.0.0.1 (a port the kernel picks), with a throwaway
 * folder holding its storage, its config and one user (htpasswd). The packages of the scopes it serves
 * (`@promtior`, `@team`) need that user's token to read or publish, as on a team's registry. Every other package
 * comes from the usual registry, which is never proxied; or, with `{ mirror: true }` (the release tests), from the
 * registry itself, which then serves the packages ours depend on from this checkout's installed copies, so installs,
 * updates and pnpm's supply-chain checks stay on this machine (they fetched every dependency's full metadata from the
 * public registry: 1 to 6 s of waiting per repo). The bench keeps the public registry: its cold install measures it.
 * `stop()` kills it and removes the folder; it also dies with the test process (its stdin is ours), so a crashed
 * run leaves no registry behind.
 *
 * Clients reach it only through npm config, never through a URL in our code: `npmrc` is a user config
 * (`npm_config_userconfig`, as a developer's ~/.npmrc after `npm login`) with the scopes' registry and the token,
 * and with `mirror` this registry for every package (as a company mirror would be).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REGISTRY_SCOPES = ['@promtior', '@team'] as const;

export interface Registry {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** The throwaway folder (storage, config, htpasswd, npmrc). */
  dir: string;
  /** A user npmrc: the scopes' registry and the user's token (and with `mirror`, this registry for every package). */
  npmrc: string;
  /** Environment for npm, pnpm and changesets: that npmrc as the user config, caches in the throwaway folder. */
  env: Record<string, string>;
  /** `@scope:registry=URL` lines, as a team commits them to a repo's .npmrc. */
  scopeLines: string;
  stop(): void;
}

const SERVER = path.join(import.meta.dirname, 'verdaccio-server.cjs');
const WORKSPACE_PACKAGES = path.resolve(import.meta.dirname, '..', '..', 'packages');

interface Installed {
  name: string;
  version: string;
  dir: string;
}

/**
 * Every package the workspace packages depend on at run time (dependencies, optional and peer ones, transitively), as
 * this checkout installed them: pnpm links a package's dependencies beside it (.pnpm/ID/node_modules/NAME) and a
 * workspace package's into its own node_modules. One not installed here (another platform's) is left out.
 */
function installedDependencies(): Installed[] {
  const found = new Map<string, Installed>();
  const seen = new Set<string>();
  const visit = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const beside = dir.endsWith(`${path.sep}node_modules${path.sep}${pkg.name}`) ? dir.slice(0, -pkg.name.length - 1) : path.join(dir, 'node_modules');
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies })) {
      const link = path.join(beside, name);
      if (!existsSync(link)) continue;
      const real = realpathSync(link);
      if (!real.startsWith(WORKSPACE_PACKAGES)) {
        const dep = JSON.parse(readFileSync(path.join(real, 'package.json'), 'utf8'));
        found.set(`${dep.name}@${dep.version}`, { name: dep.name, version: dep.version, dir: real });
      }
      visit(real);
    }
  };
  visit(path.join(WORKSPACE_PACKAGES, 'tasks'));
  return [...found.values()];
}

/**
 * Verdaccio's storage for the packages the consumers install besides ours, from this checkout's installed copies: a
 * tarball of each folder (what pnpm unpacked) and the document Verdaccio keeps, published long ago (the consumers'
 * pnpm holds back a release younger than a day). So an install needs nothing off this machine, and resolves the
 * versions this checkout's lockfile has. Verdaccio gives the tarball URLs its own address when it serves them.
 */
function mirror(storage: string): void {
  const byName = new Map<string, Installed[]>();
  for (const p of installedDependencies()) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const old = '2000-01-01T00:00:00.000Z';
  for (const [name, versions] of byName) {
    const dir = path.join(storage, name);
    mkdirSync(dir, { recursive: true });
    const doc = {
      name,
      versions: {} as Record<string, unknown>,
      time: { created: old, modified: old } as Record<string, string>,
      'dist-tags': {},
      _attachments: {} as Record<string, unknown>,
    };
    for (const { version, dir: from } of versions.sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }))) {
      const file = `${name.split('/').pop()}-${version}.tgz`;
      execFileSync('tar', ['-czf', path.join(dir, file), '--hard-dereference', '--owner=0', '--group=0', '--transform', 's,^\\.,package,', '-C', from, '.']);
      const tgz = readFileSync(path.join(dir, file));
      const shasum = createHash('sha1').update(tgz).digest('hex');
      const manifest = JSON.parse(readFileSync(path.join(from, 'package.json'), 'utf8'));
      const integrity = `sha512-${createHash('sha512').update(tgz).digest('base64')}`;
      doc.versions[version] = { ...manifest, _id: `${name}@${version}`, dist: { tarball: `http://127.0.0.1/${name}/-/${file}`, shasum, integrity } };
      doc.time[version] = old;
      doc._attachments[file] = { shasum, version };
      doc['dist-tags'] = { latest: version };
    }
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...doc, _uplinks: {}, _distfiles: {}, _rev: '1-0', _id: name }));
  }
}

function config(dir: string): string {
  const scoped = REGISTRY_SCOPES.map((s) => `  '${s}/*':\n    access: $authenticated\n    publish: $authenticated\n    unpublish: $authenticated`).join('\n');
  return [
    `storage: ${path.join(dir, 'storage')}`,
    'auth:',
    '  htpasswd:',
    `    file: ${path.join(dir, 'htpasswd')}`,
    '    max_users: -1',
    // No uplinks: nothing is proxied, so a package of ours can only come from what the tests published.
    'uplinks: {}',
    'packages:',
    scoped,
    "  '**':",
    '    access: $authenticated',
    '    publish: $authenticated',
    'web:',
    '  enable: false',
    'max_body_size: 200mb',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

/** Waits for the `listening PORT` line; fails with what the server said when it ends first or takes too long. */
function portOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => reject(new Error(`Verdaccio did not start within 30 s: ${said}`)), 30_000);
    const read = (chunk: Buffer) => {
      said += chunk.toString();
      const m = /listening (\d+)/.exec(said);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Verdaccio exited (${code}) before it listened: ${said}`));
    });
  });
}

export async function startRegistry(opts: { mirror?: boolean } = {}): Promise<Registry> {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'task-e2e-registry-')));
  const user = 'ci';
  const password = randomBytes(18).toString('base64url');
  writeFileSync(path.join(dir, 'htpasswd'), `${user}:{SHA}${createHash('sha1').update(password).digest('base64')}\n`, { mode: 0o600 });
  writeFileSync(path.join(dir, 'config.yaml'), config(dir));
  if (opts.mirror) mirror(path.join(dir, 'storage'));
  const child = spawn(process.execPath, [SERVER, path.join(dir, 'config.yaml')], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await portOf(child);
    const url = `http://127.0.0.1:${port}/`;
    // `npm login`, as its HTTP call: the htpasswd user gets a token.
    const res = await fetch(`${url}-/user/org.couchdb.user:${user}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
      body: JSON.stringify({ name: user, password }),
    });
    const token = ((await res.json()) as { token?: string }).token;
    if (!res.ok || !token) throw new Error(`Verdaccio gave no token for the test user (${res.status})`);
    const scopeLines = REGISTRY_SCOPES.map((s) => `${s}:registry=${url}\n`).join('');
    const npmrc = path.join(dir, 'npmrc');
    writeFileSync(npmrc, `${opts.mirror ? `registry=${url}\n` : ''}${scopeLines}//127.0.0.1:${port}/:_authToken=${token}\n`, { mode: 0o600 });
    // pnpm's caches (metadata, dlx installs) and the CLI's stay in the throwaway folder: nothing of it outlives the test.
    return { url, dir, npmrc, env: { npm_config_userconfig: npmrc, XDG_CACHE_HOME: path.join(dir, 'cache') }, scopeLines, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
