import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ErrorCode, TaskError } from '../errors.ts';
import { output } from '../model/data-flow.ts';
import { action, type CmdOutcome, cmd } from '../model/steps.ts';
import { defineTask } from '../model/task.ts';
import { imageName, isLoopback } from '../release/targets.ts';
import { registriesD, signedByPolicy } from '../signing/files.ts';
import { sigstoreOf } from '../signing/settings.ts';
import { rejection } from '../signing/verdict.ts';
import { verifiedImage } from '../signing/verified.ts';
import { registryHost } from '../workflow/images.ts';
import { imageRefOption } from '../workflow/ref-options.ts';
import { claimWorkDir, workDir } from '../workflow/work-dir.ts';
import { DEFAULT_IMAGE } from './docker-build.ts';

export const verifySignature = defineTask({
  name: 'verify-signature',
  group: 'docker',
  description: "Check that a pushed image is signed by the team's key (skopeo against a signedBy policy); refuse it otherwise",
  options: z.object({
    image: imageRefOption()
      .optional()
      .describe('image to check, <registry>/<name>:<tag> (default: tasks.config.ts registry and image name, tagged with the git revision)'),
    key: z.string().meta({ path: true }).optional().describe('armored public key file of the signer (default: tasks.config.ts signing.publicKey)'),
  }),
  positional: ['image'],
  examples: ['task verify-signature', 'task verify-signature ghcr.io/team/promtior-assistant:1.4.0 --key keys/release.asc'],
  needs: ['git', 'user'],
  plan: (opts, ctx, facts) => {
    const registry = ctx.config.registry;
    const image =
      opts.image ?? (registry && facts.git.revision ? `${registry}/${imageName(ctx.config.image ?? DEFAULT_IMAGE)}:${facts.git.revision}` : undefined);
    const given = opts.key ?? ctx.config.signing?.publicKey;
    const keyFile = given ? path.resolve(ctx.cwd, given) : '';
    const sigstore = sigstoreOf(ctx.cwd, ctx.config);
    const repository = image ? image.replace(/@.*$/, '').replace(/:[^:/]+$/, '') : '<image>';
    const work = workDir(ctx.env, facts.user.uid, `verify-${createHash('sha256').update(`${ctx.cwd}\0${image}`).digest('hex').slice(0, 12)}`);
    const problems = [
      !image &&
        'no image to check. Fix: name it (task verify-signature <registry>/<name>:<tag>), or set `registry` in tasks.config.ts and run it in the git checkout.',
      !given && 'no public key to check against. Fix: set signing.publicKey in tasks.config.ts (an armored key file in the repo), or pass --key FILE.',
      given && !existsSync(keyFile) && `the public key ${keyFile} does not exist. Fix: export it (gpg --armor --export KEY > ${given}) or correct the path.`,
    ].filter((p): p is string => typeof p === 'string');
    const copied = output<CmdOutcome>('signature-check');
    return [
      action(
        'check the inputs',
        problems.length > 0 ? problems.map((p) => `stop: ${p}`) : [`check ${image} against ${keyFile}, signatures from ${sigstore.url}`],
        () => {
          if (problems.length > 0) throw new TaskError(ErrorCode.checkFailed, problems.join(' '));
        },
      ),
      claimWorkDir(work, facts.user.uid),
      cmd(['rm', '-rf', work], { cwd: ctx.cwd }),
      action(
        'write the policy',
        [`write ${work}/policy.json (${repository}: signedBy ${keyFile}) and ${work}/registries.d (lookaside ${sigstore.url})`],
        () => {
          mkdirSync(path.join(work, 'registries.d'), { recursive: true });
          writeFileSync(path.join(work, 'policy.json'), signedByPolicy(repository, keyFile));
          writeFileSync(path.join(work, 'registries.d', 'sigstore.yaml'), registriesD(registryHost(repository), sigstore.url));
        },
      ),
      cmd(
        [
          'skopeo',
          '--policy',
          path.join(work, 'policy.json'),
          '--registries.d',
          path.join(work, 'registries.d'),
          'copy',
          '--quiet',
          ...(isLoopback(repository) ? ['--src-tls-verify=false'] : []),
          `docker://${image ?? '<image>'}`,
          `dir:${path.join(work, 'image')}`,
        ],
        { cwd: ctx.cwd, okExitCodes: [1], output: copied },
      ),
      action(
        'judge the signature',
        ['refuse the image unless skopeo accepted it: unsigned, changed after signing, or signed by another key'],
        (rt) => {
          const r = rt.get(copied);
          if (r.exitCode !== 0) {
            const v = rejection(r.stderr, image ?? '', keyFile, sigstore.url);
            throw new TaskError(ErrorCode.signatureRejected, `${v.why}. Nothing was run. Fix: ${v.fix}.`);
          }
          const digest = `sha256:${createHash('sha256')
            .update(readFileSync(path.join(work, 'image', 'manifest.json')))
            .digest('hex')}`;
          rt.log(`${image} is signed by the key in ${path.relative(ctx.cwd, keyFile) || keyFile} (${digest})`);
          return { ref: image ?? '', repository, digest };
        },
        { reads: [copied], output: verifiedImage },
      ),
      cmd(['rm', '-rf', work], { cwd: ctx.cwd, always: true }),
    ];
  },
});
