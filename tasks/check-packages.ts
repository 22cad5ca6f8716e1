/**
 * The packages as a release publishes them: each is packed (its prepack builds dist/), then every tarball is checked
 * for what a consumer gets. publint checks package.json against the files (exports, types, bin); Are the Types
 * Wrong (`attw`, ESM-only profile: the packages are ES modules, so CommonJS `require` is out of scope) checks that
 * TypeScript resolves the types of every entry point; and the listing must hold built JavaScript, declarations and
 * the data a package ships (the CLI's bin and completion scripts, its one-file zod, the Docker assets), never a
 * TypeScript source.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { action, cmd, defineTask, runIfMain } from '@promtior/tasks';
import { z } from 'zod';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
export const PACKAGES = ['env', 'audit', 'docker-assets', 'tasks'] as const;
const DEST = path.join(root, 'node_modules', '.cache', 'packs');

/** What a tarball may hold, besides package.json, README.md and CHANGELOG.md. */
const ALLOWED =
  /^package\/(dist\/.+\.(js|cjs|mjs|d\.ts|d\.cts|d\.mts|js\.map)|bin\/.+|completion\/.+|vendor\/zod\.mjs|assets\/.+|offline\/.+|(package\.json|README\.md|CHANGELOG\.md|LICENSE))$/;

function tarball(p: string): string {
  const { name, version } = JSON.parse(readFileSync(path.join(root, 'packages', p, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(DEST, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
}

export const checkPackages = defineTask({
  name: 'check-packages',
  group: 'repo',
  description: 'Pack every package as a release would and check the tarballs: built JavaScript and types only (publint, attw)',
  options: z.object({}),
  // What a tarball is made from: the packages (their built dist/ is an output, which each prepack removes and builds
  // afresh, so a stray file there never ships; unit tests are left out of the build by each tsconfig.build.json) and
  // the workspace's build and tool set-up, .npmrc included (ignore-scripts would skip prepack). When none of it
  // changed since the last success the tarballs would be the same, so `./task test` after a change to tests or docs
  // skips the ~16 s of packing and checking. A change to this file reruns it too.
  sources: [
    'packages/**',
    '!packages/*/dist/**',
    '!packages/*/src/**/*.test.ts',
    'tasks/check-packages.ts',
    'package.json',
    '.npmrc',
    'pnpm-lock.yaml',
    'pnpm-workspace.yaml',
    'tsconfig.base.json',
  ],
  plan: () => [
    cmd(['rm', '-rf', DEST], { cwd: root }),
    cmd(['mkdir', '-p', DEST], { cwd: root }),
    ...PACKAGES.map((p) => cmd(['pnpm', 'pack', '--pack-destination', DEST], { cwd: path.join(root, 'packages', p) })),
    ...PACKAGES.flatMap((p) => [
      cmd([bin('publint'), 'run', tarball(p), '--strict'], { cwd: root }),
      cmd([bin('attw'), tarball(p), '--profile', 'esm-only', '--format', 'ascii', '--no-emoji'], { cwd: root }),
    ]),
    action(
      'check what the tarballs hold',
      PACKAGES.map(
        (p) => `list ${path.relative(root, tarball(p))}: built JavaScript, declarations, bin/, completion/, vendor/zod.mjs, assets/, offline/ and docs only`,
      ),
      async (rt) => {
        const strays: string[] = [];
        for (const p of PACKAGES) {
          const listing = (await rt.exec({ argv: ['tar', '-tzf', tarball(p)], cwd: root }, { quiet: true })).stdout.split('\n').filter(Boolean);
          strays.push(...listing.filter((f) => !ALLOWED.test(f)).map((f) => `${path.basename(tarball(p))}: ${f}`));
        }
        if (strays.length > 0) {
          throw new Error(`a tarball holds files a release must not ship (sources or strays): ${strays.join(', ')}. Fix the package's "files" or its build.`);
        }
        rt.log(`${PACKAGES.length} tarballs hold built JavaScript and types only`);
      },
    ),
  ],
});

await runIfMain(import.meta, checkPackages);
