/**
 * The two files skopeo reads, as text: a registries.d entry (where the signatures of a registry's images are
 * kept) and a policy.json that accepts an image only when signed by one key. Written at run time into a
 * temp folder of the run (signing/ never writes the user's /etc/containers).
 */

/** registries.d/<name>.yaml: signatures of `scope` (a registry host, or host/namespace) live at `sigstoreUrl`. */
export function registriesD(scope: string, sigstoreUrl: string, staging?: string): string {
  return [
    'docker:',
    `  ${JSON.stringify(scope)}:`,
    `    lookaside: ${JSON.stringify(sigstoreUrl)}`,
    ...(staging ? [`    lookaside-staging: ${JSON.stringify(staging)}`] : []),
    '',
  ].join('\n');
}

/**
 * policy.json: images of `repository` must carry a simple signing signature by the key in `keyPath`; anything
 * else is rejected. The identity check is by repository: a signature binds the manifest digest, and every tag
 * of that digest (the revision, the version, latest) is the same content.
 */
export function signedByPolicy(repository: string, keyPath: string): string {
  return `${JSON.stringify(
    {
      default: [{ type: 'reject' }],
      transports: {
        docker: { [repository]: [{ type: 'signedBy', keyType: 'GPGKeys', keyPath, signedIdentity: { type: 'matchRepository' } }] },
        dir: { '': [{ type: 'insecureAcceptAnything' }] },
      },
    },
    null,
    2,
  )}\n`;
}
