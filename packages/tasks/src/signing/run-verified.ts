/**
 * docker-run --verify-signature: the image is checked against the policy first (verify-signature, passed in:
 * shared code never imports builtins), then pulled, and the pulled image must be the digest that was verified,
 * so a tag moved between the check and the pull is caught. A locally built image has no signature: refused.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import { action, call, cmd, type Step } from '../model/steps.ts';
import type { Task } from '../model/task.ts';
import { verifiedImage } from './verified.ts';

export function verifiedRunSteps(image: string, o: { bin: string; cwd: string; build: boolean; verifyTask: Task }): Step[] {
  if (o.build) {
    return [
      action('refuse to verify a local build', ['stop: --verify-signature checks a pushed image, and --build would run a local one'], () => {
        throw new TaskError(
          ErrorCode.badFlag,
          `--verify-signature checks an image from the registry, and docker-run would build ${image} here, which has no signature. Fix: add --no-build and --tag <registry>/<name>:<tag> (the image docker-push pushed and signed).`,
        );
      }),
    ];
  }
  return [
    call(o.verifyTask, { image }),
    cmd([o.bin, 'pull', image], { cwd: o.cwd }),
    action(
      'check the pulled image is the verified one',
      [`${o.bin} image inspect ${image}: its repo digests must include the digest verify-signature accepted`],
      async (rt) => {
        const v = rt.get(verifiedImage);
        const r = await rt.exec({ argv: [o.bin, 'image', 'inspect', '--format', '{{json .RepoDigests}}', image], cwd: o.cwd }, { quiet: true });
        const digests = JSON.parse(r.stdout.trim() || '[]') as string[];
        if (!digests.includes(`${v.repository}@${v.digest}`)) {
          throw new TaskError(
            ErrorCode.signatureRejected,
            `${image} as pulled (${digests.join(', ') || 'no digest'}) is not the image whose signature was checked (${v.repository}@${v.digest}): the tag moved in between. Nothing was started. Fix: run again, and find out who pushed to ${image}.`,
          );
        }
      },
      { reads: [verifiedImage] },
    ),
  ];
}
