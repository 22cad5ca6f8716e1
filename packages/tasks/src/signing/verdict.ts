/**
 * skopeo's refusal, as a sentence a person can act on. skopeo says why a policy rejected an image in one line
 * ("Source image rejected: ..."); the cases that matter get their meaning and fix, the rest are quoted as is.
 */
export interface Verdict {
  /** Why the image is refused, in plain words. */
  why: string;
  fix: string;
}

export function rejection(stderr: string, image: string, keyFile: string, sigstore: string): Verdict {
  const line = (/Source image rejected: ([^\n"]*(?:"[^\n]*)?)/.exec(stderr)?.[1] ?? stderr.trim().split('\n').at(-1) ?? '').replace(/"\s*$/, '').trim();
  if (/no signature exists/.test(line)) {
    return {
      why: `${image} is not signed: no signature for its digest in ${sigstore}`,
      fix: 'sign it (task docker-push --sign), or check that the sigstore is the one it was signed into',
    };
  }
  if (/Signature for digest .* does not match/.test(line)) {
    return {
      why: `${image} does not match its signature: the signature found was made for other content (the image was changed after signing, or a signature was copied): ${line}`,
      fix: 'do not run it; push and sign the image again from a known revision',
    };
  }
  if (/Invalid GPG signature|signed by|not trusted|key/i.test(line)) {
    return {
      why: `${image} is signed, but not by the key in ${keyFile}: ${line.replace(/gpgme\.Signature\{.*Fingerprint:\\?"?([0-9A-F]+).*$/, 'signed by key $1')}`,
      fix: `check that ${keyFile} is the public key of the signer (tasks.config.ts signing.publicKey)`,
    };
  }
  return { why: `${image} failed the signature check: ${line || 'skopeo gave no reason'}`, fix: 'check the image reference, the registry and the sigstore' };
}
