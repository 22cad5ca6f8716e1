/**
 * Option schemas for names the tasks hand to docker and compose as arguments: an image reference or a service name
 * that starts with `-` would be read as an option (`docker-sbom -- --help` ran `docker image inspect ... --help`),
 * and whitespace or control characters belong in no such name. Every task that takes one from the user uses these.
 */
import { z } from 'zod';

const NO_DASH = /^[^-\s\p{Cc}][^\s\p{Cc}]*$/u;

/** An image reference (name:tag, registry/name@digest): never starting with `-`, no spaces or control characters. */
export function imageRefOption() {
  return z.string().min(1).regex(NO_DASH, 'name:tag that does not start with "-" (docker would read it as an option) and has no spaces');
}

/** A compose service name: letters, digits, `.`, `_` and `-`, not first (compose's own rule). */
export function serviceOption() {
  return z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'service name: letters, digits, ".", "_" and "-", starting with a letter or digit');
}

/**
 * Where images are pushed: a registry host with an optional namespace (ghcr.io/team, 127.0.0.1:5000/team), the rule
 * tasks.config.ts's `registry` follows. No scheme and no `user:password@`: credentials go through docker login or
 * --password-stdin, never into a tag that --dry-run, logs and `docker images` would show.
 */
export const REGISTRY_REF = /^[a-z0-9][a-z0-9.-]*(:\d+)?(\/[a-z0-9._-]+)*$/;
export const REGISTRY_RULE = 'a registry host with an optional namespace, such as ghcr.io/team or 127.0.0.1:5000/team (no https://, no user:password@)';

export function registryOption() {
  return z.string().regex(REGISTRY_REF, REGISTRY_RULE);
}
