/** Secrets management: by name and by value flow, in Dockerfiles, compose files and the build context. */

import { rule } from '../model.ts';
import { isIgnored } from '../parse/dockerignore.ts';
import { at, CREDENTIAL_VALUE, isPlaceholder, isReference, isSecretFile, isSecretName, isSwitch, obj, servicePath, str } from './helpers.ts';

const category = 'secrets-management' as const;

function kv(args: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  const re = /([\w.-]+)(?:=("[^"]*"|'[^']*'|\S*))?/g;
  if (!args.includes('=')) {
    const [key = '', ...rest] = args.split(/\s+/);
    return [{ key, value: rest.join(' ') }];
  }
  for (let m = re.exec(args); m; m = re.exec(args)) out.push({ key: m[1] as string, value: (m[2] ?? '').replace(/^["']|["']$/g, '') });
  return out;
}

export const secretRules = [
  rule({
    id: 'SM-001',
    category,
    severity: 'high',
    title: 'secret-named ARG or ENV',
    why: 'ARG and ENV values are stored in the image config and `docker history` for anyone with the image to read.',
    fix: 'Pass secrets at run time (compose environment from .env, or secrets:), and at build time with RUN --mount=type=secret.',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        for (const i of df.all.filter((x) => x.cmd === 'ARG' || x.cmd === 'ENV')) {
          for (const { key, value } of kv(i.args)) {
            if (!isSecretName(key) || isSecretFile(key, value) || isSwitch(value)) continue;
            const literal = value !== '' && !isReference(value);
            const placeholder = literal && isPlaceholder(value);
            emit({
              file: df.file,
              line: i.line,
              message: `${i.cmd} ${key}${literal ? (placeholder ? ' has a placeholder default: replace before use' : ' has a default value') : ''}`,
              severity: placeholder ? 'low' : undefined,
              ignored: i.ignored,
            });
          }
        }
      }
    },
  }),
  rule({
    id: 'SM-002',
    category,
    severity: 'critical',
    title: 'credential value in the Dockerfile',
    why: 'A real key, token or password in an instruction is in every copy of the image and of the repo.',
    fix: 'Remove it, rotate it, and pass it at run time or through RUN --mount=type=secret.',
    check(input, emit) {
      for (const df of input.dockerfiles)
        for (const i of df.all)
          if (CREDENTIAL_VALUE.some((re) => re.test(i.args)))
            emit({ file: df.file, line: i.line, message: `${i.cmd} contains what looks like a credential`, ignored: i.ignored });
    },
  }),
  rule({
    id: 'SM-003',
    category,
    severity: 'high',
    title: 'build argument copied into ENV',
    why: 'ENV X=$ARG keeps a build-time secret in the runtime image config, visible to `docker inspect`.',
    fix: 'Use the ARG only in the RUN that needs it (or a secret mount); never copy it into ENV.',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        for (const s of df.stages) {
          const args = new Set(s.instructions.filter((i) => i.cmd === 'ARG').map((i) => (i.args.split('=')[0] as string).trim()));
          for (const k of Object.keys(df.globalArgs)) args.add(k);
          for (const i of s.instructions.filter((x) => x.cmd === 'ENV')) {
            for (const { key, value } of kv(i.args)) {
              const ref = /\$\{?(\w+)/.exec(value)?.[1];
              if (ref && args.has(ref) && (isSecretName(ref) || isSecretName(key)))
                emit({ file: df.file, line: i.line, message: `ENV ${key} takes the value of ARG ${ref}`, ignored: i.ignored });
            }
          }
        }
      }
    },
  }),
  rule({
    id: 'SM-004',
    category,
    severity: 'high',
    title: 'credential written to a file in a layer',
    why: 'A token written into .npmrc, .pypirc, .netrc or git config by RUN stays in that layer even if a later step deletes it.',
    fix: 'Use RUN --mount=type=secret,id=npmrc,target=/root/.npmrc (or the pip/git equivalent) so it never reaches a layer.',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        for (const i of df.all.filter((x) => x.cmd === 'RUN' && !(x.flags.mount ?? []).some((m) => m.includes('type=secret')))) {
          if (
            /(_authToken|_auth\b|\.npmrc|\.pypirc|\.netrc|git config[^&;]*url\..*@|aws configure set|password\s*=)/.test(i.args) &&
            /(\$\{?\w+|token|pass)/i.test(i.args)
          ) {
            emit({ file: df.file, line: i.line, message: 'RUN writes a credential into a config file', ignored: i.ignored });
          }
        }
      }
    },
  }),
  rule({
    id: 'SM-005',
    category,
    severity: 'high',
    title: '.dockerignore does not keep secrets out of COPY .',
    why: 'COPY . . (or ADD .) takes the whole build context: .env files, .git, keys and virtualenvs end up in the image.',
    fix: 'Add a .dockerignore with .env, .env.*, !.env.example, .git, *.pem, *.key, id_rsa*, .venv/ (the assets package has a complete one).',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        const wide = df.all.find((i) => (i.cmd === 'COPY' || i.cmd === 'ADD') && !i.flags.from && /(^|\s)\.\/?\s+\S+$/.test(i.args));
        if (!wide) continue;
        // loadInput sets each Dockerfile's own (possibly none); inputs built by hand fall back to the folder's.
        const ignore = 'ignore' in df ? df.ignore : input.dockerignore;
        if (!ignore) {
          emit({
            file: df.file,
            line: wide.line,
            message: `${wide.cmd} ${wide.args} with no .dockerignore: everything in the folder goes in`,
            ignored: wide.ignored,
          });
          continue;
        }
        const leaks = ['.env', '.env.local', '.git', 'id_rsa', 'server.key', 'deploy.pem', '.venv'].filter((p) => !isIgnored(ignore, p));
        if (leaks.length > 0)
          emit({
            file: ignore.file,
            line: 1,
            message: `a ${wide.cmd} of the whole context would take in ${leaks.join(', ')}`,
            severity: leaks.some((l) => l.startsWith('.env')) ? 'high' : 'medium',
          });
        if (isIgnored(ignore, '.env.example')) emit({ file: ignore.file, line: 1, message: '.env.example is ignored too', severity: 'info' });
      }
    },
  }),
  rule({
    id: 'SM-006',
    category,
    severity: 'critical',
    title: 'secret file copied into the image',
    why: 'COPY of .env, a key or a credentials file bakes the secret into a layer.',
    fix: 'Do not copy it; mount it at run time (compose env_file, secrets:, or a bind mount).',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        for (const i of df.all.filter((x) => (x.cmd === 'COPY' || x.cmd === 'ADD') && !x.flags.from)) {
          const sources = i.args.split(/\s+/).slice(0, -1);
          const bad = sources.filter(
            (s) =>
              /(^|\/)(\.env(\.[\w-]+)?|id_rsa|id_ed25519|[\w-]*\.pem|[\w-]*\.key|credentials\.json|\.npmrc|\.pypirc)$/.test(s) && !s.endsWith('.env.example'),
          );
          if (bad.length > 0) emit({ file: df.file, line: i.line, message: `${i.cmd} ${bad.join(', ')}`, ignored: i.ignored });
        }
      }
    },
  }),
  rule({
    id: 'SM-007',
    category,
    severity: 'critical',
    title: 'literal secret in compose environment',
    why: 'A password or key written into the compose file is in git and in every copy of the repo.',
    fix: 'Reference it instead: KEY: ${KEY:?set KEY in .env}; keep the value in .env (ignored by git) or a secrets: file.',
    check(input, emit) {
      const compose = input.compose;
      if (!compose) return;
      for (const s of compose.services) {
        const raw = obj(s.raw.environment);
        for (const [key, value] of Object.entries(obj(s.config.environment))) {
          const written = raw[key];
          if (written === undefined || written === null || typeof written === 'object') continue;
          const v = str(value);
          const path = servicePath(s, `environment.${key}`);
          if (!v || isReference(String(written)) || isSecretFile(key, v) || isSwitch(v)) continue;
          if (CREDENTIAL_VALUE.some((re) => re.test(v))) emit({ ...at(compose, path), message: `service ${s.name} sets ${key} to a credential` });
          else if (isSecretName(key))
            emit({
              ...at(compose, path),
              ...(isPlaceholder(v)
                ? { message: `service ${s.name} sets ${key} to a placeholder: replace before use`, severity: 'low' as const }
                : { message: `service ${s.name} sets ${key} to a literal` }),
            });
        }
      }
    },
  }),
  rule({
    id: 'SM-008',
    category,
    severity: 'high',
    title: 'secret passed as a build argument',
    why: 'Build arguments are recorded in the image history (`docker history --no-trunc`).',
    fix: 'Pass it with build.secrets and RUN --mount=type=secret instead of build.args.',
    check(input, emit) {
      const compose = input.compose;
      for (const s of compose?.services ?? []) {
        const args = obj(obj(s.config.build).args);
        for (const key of Object.keys(args))
          if (isSecretName(key)) emit({ ...at(compose, servicePath(s, `build.args.${key}`)), message: `service ${s.name} passes ${key} as a build argument` });
      }
    },
  }),
  rule({
    id: 'SM-009',
    category,
    severity: 'medium',
    title: 'weak default for a secret',
    why: '${PASSWORD:-password} silently runs with a guessable secret when the real one is missing.',
    fix: 'Require it instead: ${PASSWORD:?set PASSWORD in .env}.',
    check(input, emit) {
      const compose = input.compose;
      if (!compose) return;
      for (const s of compose.services) {
        for (const [key, written] of Object.entries(obj(s.raw.environment))) {
          // ${VAR:-default} and ${VAR-default}, in the map form or the list form (`- KEY=${VAR:-default}`).
          for (const m of String(written ?? '').matchAll(/\$\{(\w+):?-([^}]*)\}/g)) {
            const [, ref = '', fallback = ''] = m;
            if (!fallback || isReference(fallback) || !(isSecretName(ref) || isSecretName(key))) continue;
            emit({ ...at(compose, servicePath(s, `environment.${key}`)), message: `service ${s.name}: ${key} defaults to a fixed value when ${ref} is unset` });
          }
        }
      }
    },
  }),
];
