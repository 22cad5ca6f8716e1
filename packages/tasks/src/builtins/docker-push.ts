import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ErrorCode, TaskError } from '../errors.ts';
import { fromOutput, type Output, output } from '../model/data-flow.ts';
import { action, type CmdOutcome, cmd, type Step } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { readPassword } from '../release/password.ts';
import { appendRelease, RELEASE_RECORD } from '../release/record.ts';
import { imageName, isLoopback, pushedDigest, pushTargets, TAG } from '../release/targets.ts';
import { releaseVersion } from '../release/version.ts';
import { registriesD } from '../signing/files.ts';
import { signatureDir, sigstoreOf } from '../signing/settings.ts';
import { requireEngine } from '../workflow/engine-check.ts';
import { registryHost } from '../workflow/images.ts';
import { resolveProject } from '../workflow/project.ts';
import { imageRefOption, registryOption } from '../workflow/ref-options.ts';
import { claimWorkDir, workDir } from '../workflow/work-dir.ts';
import { DEFAULT_IMAGE } from './docker-build.ts';

interface Pushed {
  repository: string;
  digest: string;
  tags: string[];
}

export const dockerPush = defineTask({
  name: 'docker-push',
  group: 'docker',
  description: 'Tag the image with the git revision and the release version, push it, print its digest and record it in .releases/',
  options: z.object({
    tag: imageRefOption().optional().describe('local image to push (default: tasks.config.ts image, else promtior-assistant:latest)'),
    registry: registryOption().optional().describe('registry and namespace to push to, such as ghcr.io/team (default: tasks.config.ts registry)'),
    name: z
      .string()
      .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, 'a lower-case repository name')
      .optional()
      .describe('repository name under the registry (default: the local image name)'),
    latest: z.boolean().default(false).describe('also tag and push :latest'),
    allowDirty: z.boolean().default(false).describe('push from a tree with uncommitted changes (the revision tag gets -dirty)'),
    username: z.string().min(1).optional().describe('registry user name, with --password-stdin'),
    passwordStdin: z.boolean().default(false).describe("read the registry password from stdin (default: Docker's credential store, docker login)"),
    sign: z.boolean().default(false).describe('sign the pushed digest with skopeo and the GPG key named in tasks.config.ts signing.key'),
  }),
  examples: [
    'task docker-push',
    'task docker-push --registry ghcr.io/team --latest',
    'printf %s "$TOKEN" | task docker-push --username ci --password-stdin --sign',
  ],
  needs: ['docker', 'git', 'clock', 'user'],
  plan: (opts, ctx, facts) => {
    const bin = facts.docker.bin;
    const local = opts.tag ?? ctx.config.image ?? DEFAULT_IMAGE;
    const registry = opts.registry ?? ctx.config.registry;
    const found = releaseVersion([ctx.cwd, resolveProject(ctx).dir]);
    const { revision, dirty } = facts.git;
    const revisionTag = `${revision ?? 'unknown'}${dirty ? '-dirty' : ''}`;
    const targets = pushTargets(registry ?? '<registry>', opts.name ?? imageName(local), revisionTag, found?.version ?? '<version>', opts.latest);
    const refs = targets.tags.map((t) => `${targets.repository}:${t}`);
    const work = workDir(ctx.env, facts.user.uid, `push-${createHash('sha256').update(ctx.cwd).digest('hex').slice(0, 12)}`);
    const dockerConfig = opts.passwordStdin ? ['--config', path.join(work, 'docker')] : [];
    const loopback = isLoopback(targets.repository);
    const sigstore = sigstoreOf(ctx.cwd, ctx.config);
    const problems = [
      !registry && 'no registry to push to. Fix: set `registry` in tasks.config.ts (such as ghcr.io/team), or pass --registry.',
      !revision && `${ctx.cwd} is not a git checkout, and images are tagged with their revision. Fix: run it in the repo (git init and commit first).`,
      dirty &&
        !opts.allowDirty &&
        `the work tree has uncommitted changes, so ${revision} would not describe the image. Fix: commit (or stash) them, or pass --allow-dirty to push it tagged ${revisionTag}.`,
      !found &&
        `no release version: neither ${path.join(ctx.cwd, 'package.json')} nor the project's package.json or pyproject.toml has one. Fix: add a "version" (changesets manages it), then push again.`,
      found &&
        !TAG.test(found.version) &&
        `the version ${found.version} (${found.file}) is not a valid image tag. Fix: use only letters, digits, "_", "." and "-".`,
      opts.passwordStdin && !opts.username && '--password-stdin needs --username (the user the password belongs to).',
      opts.username && !opts.passwordStdin && "--username is for --password-stdin; without it Docker's credential store is used (docker login).",
      opts.sign &&
        !ctx.config.signing?.key &&
        '--sign needs the GPG key to sign with. Fix: set signing.key in tasks.config.ts (a fingerprint, key id or email).',
      opts.sign && !sigstore.dir && `--sign writes signatures into a folder, and signing.sigstore is ${sigstore.url}. Fix: make it a folder in the repo.`,
    ].filter((p): p is string => typeof p === 'string');
    const pushes = refs.map((ref) => ({ ref, out: output<CmdOutcome>(`push ${ref.slice(ref.lastIndexOf(':') + 1)}`) }));
    const pushed = output<Pushed>('pushed');
    const steps: Step[] = [
      requireEngine(facts.docker),
      action('check what is pushed', problems.length > 0 ? problems.map((p) => `stop: ${p}`) : [`push ${local} as ${refs.join(', ')}`], () => {
        if (problems.length > 0) throw new TaskError(ErrorCode.checkFailed, problems.join(' '), { details: problems.length > 1 ? problems : [] });
      }),
      claimWorkDir(work, facts.user.uid),
      cmd(['rm', '-rf', work], { cwd: ctx.cwd }),
    ];
    if (opts.passwordStdin) {
      const host = registryHost(targets.repository);
      steps.push(
        action(
          'log in to the registry',
          [`read the password from stdin; ${bin} --config ${path.join(work, 'docker')} login --username ${opts.username} --password-stdin ${host} <<< (stdin)`],
          async (rt) => {
            const input = await readPassword();
            mkdirSync(path.join(work, 'docker'), { recursive: true, mode: 0o700 });
            await rt.exec({ argv: [bin, ...dockerConfig, 'login', '--username', opts.username as string, '--password-stdin', host], cwd: ctx.cwd, input });
          },
        ),
      );
    }
    steps.push(
      ...refs.map((ref) => cmd([bin, ...dockerConfig, 'tag', local, ref], { cwd: ctx.cwd })),
      ...pushes.map(({ ref, out }) => cmd([bin, ...dockerConfig, 'push', ref], { cwd: ctx.cwd, output: out })),
      action(
        'read the digest',
        ['check that every tag was pushed as the same manifest, and take its digest'],
        (rt) => {
          const digests = pushes.map(({ ref, out }) => ({ ref, digest: pushedDigest(rt.get(out).stdout) }));
          const first = digests[0]?.digest;
          if (!first || digests.some((d) => d.digest !== first)) {
            throw new TaskError(
              ErrorCode.commandFailed,
              `the pushes did not report one digest: ${digests.map((d) => `${d.ref} ${d.digest ?? '(none)'}`).join(', ')}`,
            );
          }
          return { repository: targets.repository, digest: first, tags: targets.tags };
        },
        { reads: pushes.map((p) => p.out), output: pushed },
      ),
    );
    if (opts.sign) {
      const authfile = opts.passwordStdin ? path.join(work, 'docker', 'config.json') : undefined;
      steps.push(
        ...signSteps({
          work,
          repository: targets.repository,
          ref: refs[0] as string,
          key: ctx.config.signing?.key ?? '',
          sigstoreDir: sigstore.dir ?? '',
          loopback,
          authfile,
          pushed,
          cwd: ctx.cwd,
        }),
      );
    }
    steps.push(
      action(
        'record the release',
        [`print the digest; append a line to ${RELEASE_RECORD} (time, repository, tags, digest, revision, version, signed)`],
        (rt) => {
          const p = rt.get(pushed);
          const file = appendRelease(ctx.cwd, {
            pushedAt: facts.clock.now.toISOString(),
            repository: p.repository,
            tags: p.tags,
            digest: p.digest,
            revision: revisionTag,
            version: found?.version ?? '',
            signed: opts.sign,
          });
          rt.log(`pushed ${p.repository}:{${p.tags.join(',')}} as ${p.digest}${opts.sign ? ', signed' : ''}; recorded in ${path.relative(ctx.cwd, file)}`);
          rt.result(`${p.repository}@${p.digest}`);
        },
        { reads: [pushed] },
      ),
      cmd(['rm', '-rf', work], { cwd: ctx.cwd, always: true }),
    );
    return steps;
  },
});

/**
 * Simple signing of the pushed digest: skopeo copies the image onto itself by digest (the manifest is unchanged, no
 * layer moves) and writes the signature into the sigstore, which registries.d names as the registry's lookaside.
 */
interface SignOptions {
  work: string;
  repository: string;
  /** The tag the signing copy writes (the digest it already points at). */
  ref: string;
  key: string;
  sigstoreDir: string;
  loopback: boolean;
  /** The credentials --password-stdin logged in with, else Docker's own. */
  authfile: string | undefined;
  pushed: Output<Pushed>;
  cwd: string;
}

function signSteps({ work, repository, ref, key, sigstoreDir, loopback, authfile, pushed, cwd }: SignOptions): Step[] {
  const dir = path.join(work, 'registries.d');
  const scope = registryHost(repository);
  return [
    action('configure the sigstore', [`write ${dir}/sigstore.yaml: signatures of ${scope} go to ${sigstoreDir}`], () => {
      mkdirSync(dir, { recursive: true });
      mkdirSync(sigstoreDir, { recursive: true });
      writeFileSync(path.join(dir, 'sigstore.yaml'), registriesD(scope, `file://${sigstoreDir}`, `file://${sigstoreDir}`));
    }),
    cmd(
      [
        'skopeo',
        '--registries.d',
        dir,
        'copy',
        '--quiet',
        ...(loopback ? ['--src-tls-verify=false', '--dest-tls-verify=false'] : []),
        ...(authfile ? ['--authfile', authfile] : []),
        '--sign-by',
        key,
        fromOutput(pushed, (p) => `docker://${p.repository}@${p.digest}`, `docker://${repository}@<digest>`),
        `docker://${ref}`,
      ],
      { cwd },
    ),
    action(
      'check the signature',
      [`check that ${sigstoreDir} holds a signature of the pushed digest`],
      (rt) => {
        const p = rt.get(pushed);
        const found = existsSync(signatureDir(sigstoreDir, p.repository, p.digest)) ? readdirSync(signatureDir(sigstoreDir, p.repository, p.digest)) : [];
        if (found.length === 0) throw new TaskError(ErrorCode.commandFailed, `skopeo reported success, but no signature of ${p.digest} is in ${sigstoreDir}`);
        rt.log(`signed ${p.repository}@${p.digest} with ${key} (${found.length} signature${found.length > 1 ? 's' : ''} in ${sigstoreDir})`);
      },
      { reads: [pushed] },
    ),
  ];
}
