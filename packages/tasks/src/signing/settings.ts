/**
 * Image signing settings, resolved from tasks.config.ts (`signing`) and flags: the GPG key that signs, the public
 * key that verifies, and the sigstore (the "lookaside" where simple-signing signatures live, one folder per
 * manifest digest). Pure: paths are made absolute against the repo, nothing is read.
 */
import path from 'node:path';
import type { RepoConfig } from '../config/schema.ts';

export const DEFAULT_SIGSTORE = path.join('.releases', 'signatures');

export interface Sigstore {
  /** What registries.d gets: `file:///abs/folder` or an https URL. */
  url: string;
  /** The folder, when the sigstore is local (signing needs one). */
  dir?: string;
}

export function sigstoreOf(repoDir: string, config: RepoConfig, given?: string): Sigstore {
  const where = given ?? config.signing?.sigstore ?? DEFAULT_SIGSTORE;
  if (/^https?:\/\//.test(where)) return { url: where };
  const dir = path.resolve(repoDir, where);
  return { url: `file://${dir}`, dir };
}

/** Where simple signing keeps the signatures of one digest: `<sigstore>/<repo path>@sha256=<hex>/signature-N`. */
export function signatureDir(sigstoreDir: string, repository: string, digest: string): string {
  const repoPath = repository.slice(repository.indexOf('/') + 1);
  return path.join(sigstoreDir, `${repoPath}@${digest.replace(':', '=')}`);
}
