import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assetPath } from '@promtior/docker-assets';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { docker, requireEngineAndImages } from '../helpers/docker.ts';
import { exampleProject, removeProject } from '../helpers/project.ts';

interface Item {
  group: string;
  name: string;
  ok: boolean;
  figure: string;
}

/** Runs verify on a project whose Dockerfile is the asset with one deliberate break. */
function verifyBroken(
  breakIt: (dockerfile: string) => string,
  extra: (dir: string) => void = () => {},
  args: string[] = [],
): { code: number | null; items: Item[]; stderr: string } {
  const p = exampleProject();
  try {
    writeFileSync(path.join(p.dir, 'Dockerfile'), breakIt(readFileSync(assetPath('Dockerfile'), 'utf8')));
    extra(p.dir);
    const r = runCli(['verify', '--no-dev', '--format', 'json', ...args], { cwd: p.dir });
    return { code: r.code, items: (JSON.parse(r.stdout) as { items: Item[] }).items, stderr: r.stderr };
  } finally {
    removeProject(p);
  }
}

const failed = (items: Item[]) => items.filter((i) => !i.ok).map((i) => i.name);

describe('verify: the checklist can fail, each break on its own line', () => {
  beforeAll(() => {
    requireEngineAndImages();
  });

  it('passes on the shipped set-up and leaves nothing behind', () => {
    const p = exampleProject();
    try {
      const r = runCli(['verify', '--format', 'json'], { cwd: p.dir });
      const items = (JSON.parse(r.stdout) as { items: Item[] }).items;
      expect(failed(items), r.stderr).toEqual([]);
      expect(items.length).toBe(15);
      expect(items.find((i) => i.name === 'image size under 250 MB')?.figure).toMatch(/^\d+\.\d MB$/);
      // This project's names only: another run on the same engine may be verifying its own project meanwhile.
      expect(docker('ps', '-a', '--format', '{{.Names}}')).not.toContain(`${p.name}-verify`);
      expect(docker('images', '--format', '{{.Repository}}')).not.toContain(`${p.name}-verify`);
    } finally {
      removeProject(p);
    }
  });

  it('a root user', () => {
    const r = verifyBroken((d) => d.replace(/^USER appuser\n(?=EXPOSE \$\{APP_PORT\}\n# Python)/m, ''));
    expect(r.code).toBe(1);
    // Root without capabilities (cap_drop: ALL) cannot write the appuser-owned volume either: that line fails too.
    expect(failed(r.items)).toContain('runs as appuser');
    expect(failed(r.items).filter((n) => n !== 'named volumes survive stop and start')).toEqual(['runs as appuser']);
    expect(r.items.find((i) => i.name === 'runs as appuser')?.figure).toBe('whoami = root, id -u = 0');
  });

  it('a secret baked in with ENV', () => {
    const r = verifyBroken((d) => d.replace('FROM base AS production\n', 'FROM base AS production\nENV ADMIN_REINGEST_KEY=e2e-admin-key-0123456789abcdef\n'));
    expect(r.code).toBe(1);
    expect(failed(r.items)).toEqual(['no secret in the image history or filesystem']);
  });

  it('a .dockerignore that lets .env through', () => {
    const r = verifyBroken(
      (d) => d,
      (dir) => {
        writeFileSync(path.join(dir, '.dockerignore'), '.git\n');
        mkdirSync(path.join(dir, 'src', 'config'), { recursive: true });
        writeFileSync(path.join(dir, 'src', 'config', '.env'), 'ADMIN_REINGEST_KEY=e2e-admin-key-0123456789abcdef\n');
      },
    );
    expect(r.code).toBe(1);
    expect(failed(r.items)).toEqual(['no secret in the image history or filesystem']);
    const item = r.items.find((i) => !i.ok) as Item & { detail?: string };
    expect(item.figure).toMatch(/ 1 \.env files/);
    expect(item.detail).toContain('/app/src/config/.env');
  });

  it('a health check that can never pass', () => {
    const r = verifyBroken(
      (d) =>
        d.replace(
          /http:\/\/127\.0\.0\.1:%s%s' % \(os\.environ\.get\('PORT'\) or os\.environ\.get\('APP_PORT', '8000'\), os\.environ\.get\('APP_HEALTH_PATH', '\/health'\)\)/g,
          "http://127.0.0.1:1/health'",
        ),
      undefined,
      // The deadline is the user's to set; 15 s here instead of the default 60 s spares the suite 45 s of waiting.
      ['--health-timeout', '15'],
    );
    expect(r.code).toBe(1);
    expect(failed(r.items)).toContain('healthy within 15 s');
    expect(r.items.find((i) => i.name === 'healthy within 15 s')?.figure).toBe('not healthy after 15 s');
  });
});
