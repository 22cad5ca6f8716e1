/**
 * A private npm registry for the release tests: Verdaccio on 127.0.0.1 (a port the kernel picks), with a throwaway
 * folder holding its storage, its config and one user (htpasswd). The packages of the scopes it serves
 * (`@promtior`, `@team`) need that user's token to read or publish, as on a team's registry; every other package
 * comes from the usual registry, which is never proxied. `stop()` kills it and removes the folder; it also dies
 * with the test process (its stdin is ours), so a crashed run leaves no registry behind.
 *
 * Clients reach it only through npm config, never through a URL in our code: `npmrc` is a user config
 * (`npm_config_userconfig`, as a developer's ~/.npmrc after `npm login`) with the scopes' registry and the token.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REGISTRY_SCOPES = ['@promtior', '@team'] as const;

export interface Registry {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** The throwaway folder (storage, config, htpasswd, npmrc). */
  dir: string;
  /** A user npmrc: the scopes' registry and the user's token. */
  npmrc: string;
  /** Environment for npm, pnpm and changesets: that npmrc as the user config, caches in the throwaway folder. */
  env: Record<string, string>;
  /** `@scope:registry=URL` lines, as a team commits them to a repo's .npmrc. */
  scopeLines: string;
  stop(): void;
}

const SERVER = path.join(import.meta.dirname, 'verdaccio-server.cjs');

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

export async function startRegistry(): Promise<Registry> {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'task-e2e-registry-')));
  const user = 'ci';
  const password = randomBytes(18).toString('base64url');
  writeFileSync(path.join(dir, 'htpasswd'), `${user}:{SHA}${createHash('sha1').update(password).digest('base64')}\n`, { mode: 0o600 });
  writeFileSync(path.join(dir, 'config.yaml'), config(dir));
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
    writeFileSync(npmrc, `${scopeLines}//127.0.0.1:${port}/:_authToken=${token}\n`, { mode: 0o600 });
    // pnpm's caches (metadata, dlx installs) and the CLI's stay in the throwaway folder: nothing of it outlives the test.
    return { url, dir, npmrc, env: { npm_config_userconfig: npmrc, XDG_CACHE_HOME: path.join(dir, 'cache') }, scopeLines, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
