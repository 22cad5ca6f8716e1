import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { OFFLINE_IMAGES, offlinePath, PYTHON_BASE_RECIPE } from '@promtior/docker-assets';
import { z } from 'zod';
import { ErrorCode, TaskError } from '../errors.ts';
import { imageId } from '../facts/images.ts';
import { action, cmd, type Step } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { onPath } from '../workflow/on-path.ts';
import { STAND_INS } from '../workflow/stand-ins.ts';
import { claimWorkDir, workDir } from '../workflow/work-dir.ts';

const STAND_IN_NAMES = ['python', 'uv', 'ollama'] as const;

const DEBOOTSTRAP = ['/usr/sbin/debootstrap', '/sbin/debootstrap', '/usr/bin/debootstrap'];

/**
 * mmdebstrap, when it is installed with its merged-/usr hook (Debian's package: `<prefix>/share/mmdebstrap/hooks/`
 * beside `<prefix>/bin/mmdebstrap`; a git checkout: `hooks/` beside the script) and Debian's archive keyring (apt
 * refuses an unsigned mirror, where debootstrap only warns: Ubuntu lacks the keyring unless debian-archive-keyring is
 * installed). apt resolves and fetches the packages, which made the same root file system in 20-24 s wall and 20-24
 * CPU s here where debootstrap took 43 s and 40 CPU s. The hook gives debootstrap's package set (usr-is-merged;
 * without it apt picks usrmerge, which pulls in perl). Found from PATH and the filesystem only (no process), so the
 * plan stays pure; otherwise debootstrap, as before. `systemShare`: where the system keeps its keyrings (tests).
 */
export function findMmdebstrap(
  env: Readonly<Record<string, string | undefined>>,
  systemShare = '/usr/share',
): { bin: string; hooks: string } | { missing: string } | undefined {
  const bin = onPath('mmdebstrap', env);
  if (bin === undefined) return undefined;
  let real: string;
  try {
    real = realpathSync(bin);
  } catch {
    return undefined;
  }
  const prefix = path.dirname(path.dirname(real));
  const hookDirs = [path.join(prefix, 'share', 'mmdebstrap', 'hooks', 'merged-usr'), path.join(path.dirname(real), 'hooks', 'merged-usr')];
  const hooks = hookDirs.find((d) => existsSync(path.join(d, 'setup00.sh')));
  if (hooks === undefined) return { missing: `its merged-/usr hook (looked in ${hookDirs.join(' and ')})` };
  const keyrings = [path.join(prefix, 'share', 'keyrings'), path.join(systemShare, 'keyrings')].map((d) => path.join(d, 'debian-archive-keyring.gpg'));
  if (!keyrings.some((k) => existsSync(k))) return { missing: `Debian's archive keyring (${keyrings.join(' or ')}; apt-get install debian-archive-keyring)` };
  return { bin, hooks };
}

export const dockerOfflineImages = defineTask({
  name: 'docker-offline-images',
  group: 'docker',
  description: 'Build local stand-ins for the registry images (Python base via mmdebstrap or debootstrap, uv, Ollama), once, cached by tag',
  options: z.object({
    mirror: z.string().url().default('http://deb.debian.org/debian').describe('Debian mirror for mmdebstrap or debootstrap'),
    only: z
      .array(z.enum(STAND_IN_NAMES))
      .default([...STAND_IN_NAMES])
      .describe('the stand-ins to build: python, uv, ollama (repeatable; ollama is built on the python one)'),
  }),
  needs: ['docker', 'images', 'user'],
  plan: (opts, ctx, facts) => {
    const bin = facts.docker.bin;
    // The global --force (when this is the task named) rebuilds images that are already there.
    const present = (tag: string) => !ctx.force && imageId(facts.images, tag) !== undefined;
    const cached = (tag: string) => action(tag, [`${tag} is already there (--force rebuilds it)`], (rt) => rt.log(`${tag}: cached`));
    const steps: Step[] = [requireEngine(facts.docker)];
    const wanted = new Set(opts.only);
    // The Ollama stand-in is built on the Python one.
    const python = wanted.has('python') || wanted.has('ollama');
    if (python && present(OFFLINE_IMAGES.PYTHON_IMAGE)) steps.push(cached(OFFLINE_IMAGES.PYTHON_IMAGE));
    else if (python) {
      // Named after the project, not the process: the same plan every time (a leftover is removed first).
      const rootfs = workDir(ctx.env, facts.user.uid, `rootfs-${createHash('sha256').update(ctx.cwd).digest('hex').slice(0, 12)}`);
      const found = findMmdebstrap(ctx.env);
      const mm = found && 'bin' in found ? found : undefined;
      const tool = mm ? 'mmdebstrap' : 'debootstrap';
      const packages = `--include=${PYTHON_BASE_RECIPE.include.join(',')}`;
      steps.push(
        action('check debootstrap', [`check that ${tool} is installed and this runs as root`], () => {
          if (!mm && !DEBOOTSTRAP.some((p) => existsSync(p))) {
            const why =
              found && 'missing' in found
                ? `mmdebstrap is installed but without ${found.missing}, and debootstrap is not installed`
                : 'neither mmdebstrap nor debootstrap is installed';
            throw new TaskError(
              ErrorCode.dockerUnavailable,
              `${why}. Fix: apt-get install mmdebstrap (or debootstrap, about half as fast) on Debian/Ubuntu, then run this task again.`,
            );
          }
          if (facts.user.uid !== 0) {
            throw new TaskError(ErrorCode.dockerUnavailable, `${tool} needs root. Fix: run this task as root (sudo ./task docker-offline-images).`);
          }
        }),
        claimWorkDir(rootfs, facts.user.uid),
        cmd(['rm', '-rf', rootfs], { cwd: ctx.cwd }),
        cmd(
          mm
            ? [mm.bin, '--variant=minbase', `--hook-dir=${mm.hooks}`, packages, PYTHON_BASE_RECIPE.suite, rootfs, opts.mirror]
            : ['debootstrap', '--variant=minbase', packages, PYTHON_BASE_RECIPE.suite, rootfs, opts.mirror],
          { cwd: ctx.cwd, timeoutMs: 20 * 60_000 },
        ),
        cmd(
          [
            'sh',
            '-c',
            'rootfs=$1 docker=$2 tag=$3; shift 3; tar -C "$rootfs" "$@" -c . | "$docker" import --change "ENV LANG=C.UTF-8" --change \'CMD ["python3"]\' - "$tag"',
            'sh',
            rootfs,
            bin,
            OFFLINE_IMAGES.PYTHON_IMAGE,
            ...PYTHON_BASE_RECIPE.exclude.map((e) => `--exclude=${e}`),
          ],
          { cwd: ctx.cwd },
        ),
        cmd(['rm', '-rf', rootfs], { cwd: ctx.cwd, always: true }),
      );
    }
    for (const [key, dir, args] of [
      ['UV_IMAGE', offlinePath('uv'), []],
      ['OLLAMA_IMAGE', offlinePath('ollama'), ['--build-arg', `PYTHON_IMAGE=${OFFLINE_IMAGES.PYTHON_IMAGE}`]],
    ] as const) {
      if (!wanted.has(STAND_INS[key].name)) continue;
      const tag = OFFLINE_IMAGES[key];
      if (present(tag)) steps.push(cached(tag));
      else steps.push(cmd([bin, 'build', '--progress=plain', ...args, '--tag', tag, dir], { cwd: ctx.cwd, env: { DOCKER_BUILDKIT: '1' } }));
    }
    return steps;
  },
});
