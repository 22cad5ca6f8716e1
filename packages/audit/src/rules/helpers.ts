/** What several rules need to know about a build: which stage runs, as which user, from which image. */

import { knownImage } from '../known-images.ts';
import type { Compose, ComposeValue, Service } from '../parse/compose.ts';
import { type Instruction, lineage, type Stage } from '../parse/dockerfile.ts';

export { type Runtime, runtimes, type Unit, units } from '../services.ts';

/** Images known to run as a non-root user by default. */
const NON_ROOT_BASES = [/distroless.*:(debug-)?nonroot/, /^cgr\.dev\/chainguard\/(?!.*-dev)/, /^gcr\.io\/distroless\/.*nonroot/];

/** The user the stage runs as: its last USER, else its parents', else the base image's default. */
export function effectiveUser(stage: Stage): { user: string; from?: Instruction; inherited: boolean } {
  for (const s of lineage(stage)) {
    const users = s.instructions.filter((i) => i.cmd === 'USER');
    const last = users[users.length - 1];
    if (last) return { user: last.args.trim(), from: last, inherited: s !== stage };
  }
  const base = lineage(stage).at(-1)?.image ?? '';
  const known = knownImage(base);
  return { user: NON_ROOT_BASES.some((re) => re.test(base)) ? 'nonroot' : known && !known.root ? known.user : 'root', inherited: true };
}

export function isRootUser(user: string): boolean {
  const name = user.split(':')[0]?.trim() ?? '';
  return name === 'root' || name === '0' || name === '';
}

export function runInstructions(stage: Stage): Instruction[] {
  return stage.instructions.filter((i) => i.cmd === 'RUN');
}

export function str(v: ComposeValue | undefined): string {
  return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function obj(v: ComposeValue | undefined): Record<string, ComposeValue> {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

export function list(v: ComposeValue | undefined): ComposeValue[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

export function servicePath(s: Service, key?: string): string {
  return key ? `services.${s.name}.${key}` : `services.${s.name}`;
}

/** Where a compose setting is, with its inline ignores and the service it belongs to. */
export function at(compose: Compose | undefined, path: string) {
  const service = /^services\.([^.]+)/.exec(path)?.[1];
  const services = service ? [service] : undefined;
  if (!compose) return { file: 'compose', line: 1, ignored: [], services };
  return { ...compose.where(path), ignored: compose.ignored(path), services };
}

/** Suffixes that make a secret-sounding name a setting about the secret, not the secret (DB_PASSWORD_FILE, TOKEN_URL). */
const NOT_SECRET_SUFFIX =
  /_(FILE|PATH|DIR|URL|URI|HOST|PORT|ENDPOINT|LENGTH|MIN_LENGTH|EXPIRY|EXPIRES|EXPIRATION|EXPIRE_MINUTES|TTL|LIFETIME|TIMEOUT|TYPE|NAME|ID|ENABLED|DISABLED|REQUIRED|FORMAT|ALGORITHM|HEADER|PREFIX|LOCATION|MODE|PROVIDER|METHOD|ISSUER|AUDIENCE)$/;
/** Words that make a name a secret's (PASSWORD, API_KEY, SECRET_KEY_BASE, NPM_TOKEN, GH_PAT; not NO_AUTH or GPG_KEY). */
const SECRET_WORD =
  /(^|_)(PASSWORD|PASSWD|PASS|PWD|PASSPHRASE|SECRET|SECRETS|TOKEN|APIKEY|API_KEY|PRIVATE_KEY|CREDENTIAL|CREDENTIALS|ACCESS_KEY|SECRET_KEY|AUTH_KEY|AUTH_TOKEN|ENCRYPTION_KEY|SIGNING_KEY|MASTER_KEY|JWT_KEY|LICENSE_KEY|PAT)(_|$)/;

/** Keys that are not secrets: public keys and fingerprints, database and cache keys. */
const NOT_SECRET_KEY = /(^|_)(GPG|PGP|PUBLIC|PUB|PRIMARY|SORT|PARTITION|CACHE|FOREIGN|ROUTING|IDEMPOTENCY|HASH|SHARD|LOOKUP|MAP|HOST)_KEY$/;

/** Whether a variable's name says it holds a secret (…_PASSWORD, …_TOKEN, …_SECRET, …_KEY but not GPG_KEY). */
export function isSecretName(name: string): boolean {
  const n = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-.]/g, '_')
    .toUpperCase();
  if (NOT_SECRET_SUFFIX.test(n)) return false;
  return SECRET_WORD.test(n) || (/(^|_)KEY$/.test(n) && !NOT_SECRET_KEY.test(n));
}

/** Values that are obviously placeholders rather than real secrets: reported as "replace before use", not as leaks. */
const PLACEHOLDER_VALUE =
  /^(changeme|changeit|example|sample|dummy|test|testing|mock|fake|placeholder|xxx+|\*+|\.\.\.|todo|tbd|fixme|secret|password|passwd|pass|none|null|undefined|default|redacted)$|^<.*>$|^\[.*\]$|^\{\{.*\}\}$|^your[_-]|[_-]here$|change[_-]?(me|this|it)|replace[_-]?(me|this|with)|example/i;

export function isPlaceholder(value: string): boolean {
  return value.trim() === '' || PLACEHOLDER_VALUE.test(value.trim());
}

/** Switches and numbers are never secrets, whatever the variable is called. */
export function isSwitch(value: string): boolean {
  return /^(true|false|yes|no|on|off|enabled|disabled|0|1)$/i.test(value.trim());
}

/** A value that references another (`${VAR}`, `$VAR`) rather than being written out. */
export function isReference(value: string): boolean {
  return /\$(\{|[A-Za-z_])/.test(value);
}

/** Compose secrets and `_FILE` variables: the right way to hand over a secret, counted for the category, not against. */
export function isSecretFile(key: string, value: string): boolean {
  return /_FILE$/i.test(key) || /^\/run\/secrets\//.test(value.trim());
}

/** Values that look like real credentials whatever the variable is called. */
export const CREDENTIAL_VALUE = [
  /AKIA[0-9A-Z]{16}/,
  /gh[pousr]_[A-Za-z0-9]{30,}/,
  /sk-[A-Za-z0-9_-]{20,}/,
  /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/,
  /[a-z][\w+.-]*:\/\/[^/\s:@]+:[^/\s@]{3,}@/i,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];
