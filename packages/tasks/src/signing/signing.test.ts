import { describe, expect, it } from 'vitest';
import { registriesD, signedByPolicy } from './files.ts';
import { signatureDir, sigstoreOf } from './settings.ts';
import { rejection } from './verdict.ts';

describe('signing settings', () => {
  it('a sigstore is a folder of the repo (default .releases/signatures) or a URL', () => {
    expect(sigstoreOf('/repo', {})).toEqual({ url: 'file:///repo/.releases/signatures', dir: '/repo/.releases/signatures' });
    expect(sigstoreOf('/repo', { signing: { sigstore: 'sigs' } })).toEqual({ url: 'file:///repo/sigs', dir: '/repo/sigs' });
    expect(sigstoreOf('/repo', { signing: { sigstore: 'https://sigs.example.com' } })).toEqual({ url: 'https://sigs.example.com' });
  });

  it('signatures of a digest live where simple signing puts them', () => {
    expect(signatureDir('/s', '127.0.0.1:5000/team/app', 'sha256:abc')).toBe('/s/team/app@sha256=abc');
  });
});

describe('the files skopeo reads', () => {
  it('registries.d names the lookaside (and the staging folder when signing)', () => {
    expect(registriesD('127.0.0.1:5000', 'file:///s', 'file:///s')).toBe(
      'docker:\n  "127.0.0.1:5000":\n    lookaside: "file:///s"\n    lookaside-staging: "file:///s"\n',
    );
    expect(registriesD('ghcr.io', 'https://x')).not.toContain('staging');
  });

  it('the policy rejects everything but images of the repository signed by the key', () => {
    const policy = JSON.parse(signedByPolicy('r/team/app', '/k.asc')) as {
      default: unknown[];
      transports: { docker: Record<string, unknown[]> };
    };
    expect(policy.default).toEqual([{ type: 'reject' }]);
    expect(policy.transports.docker).toEqual({
      'r/team/app': [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k.asc', signedIdentity: { type: 'matchRepository' } }],
    });
  });
});

describe("skopeo's refusals, in plain words", () => {
  const say = (stderr: string) => rejection(stderr, 'r/app:1', '/k.asc', 'file:///s').why;
  it.each([
    [
      'time="x" level=fatal msg="Source image rejected: A signature was required, but no signature exists"',
      /^r\/app:1 is not signed: no signature for its digest in file:\/\/\/s$/,
    ],
    [
      'time="x" level=fatal msg="Source image rejected: Signature for digest sha256:d171 does not match"',
      /does not match its signature: the signature found was made for other content/,
    ],
    [
      'time="x" level=fatal msg="Source image rejected: Invalid GPG signature: gpgme.Signature{Summary:128, Fingerprint:\\"943277B1944CD721\\", Status:gpgme.Error{err:0x9}}"',
      /^r\/app:1 is signed, but not by the key in \/k\.asc: Invalid GPG signature: signed by key 943277B1944CD721$/,
    ],
    ['time="x" level=fatal msg="Error reading manifest 1 in r/app: manifest unknown"', /failed the signature check: .*manifest unknown/],
  ])('%s', (stderr, why) => expect(say(stderr)).toMatch(why));
});
