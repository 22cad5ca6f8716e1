/** Base images and supply chain: what the image is built from and what it pulls in. */
import { rule } from '../model.ts';
import { at, runInstructions, servicePath, str } from './helpers.ts';

const category = 'base-image' as const;
const FLOATING = /^(latest|lts|stable|main|master|edge|current|rolling|nightly)$/;
/** Release codenames that name one distribution release (debian:bookworm is Debian 12): not floating on the distribution's own image. */
const CODENAME = /^(buster|bullseye|bookworm|trixie|focal|jammy|noble)(-slim)?$/;

/**
 * A tag that moves to a new release: latest and the like, and variant tags with no version at all
 * (`python:alpine`, `node:slim`, `python:slim-bookworm` float with every Python or Node release).
 */
export function isFloatingTag(name: string, tag: string): boolean {
  if (FLOATING.test(tag)) return true;
  if (/\d/.test(tag)) return false;
  return !(CODENAME.test(tag) && /(^|\/)(debian|ubuntu)$/.test(name));
}

/** `name:tag@digest` → its parts (registry ports kept in the name). */
export function imageRef(ref: string): { name: string; tag?: string; digest?: string } {
  const [withTag = '', digest] = ref.split('@');
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  return colon > slash ? { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest } : { name: withTag, digest };
}

/** Python and Node releases past their end of life, by the tag's leading version. */
const EOL: { name: RegExp; tag: RegExp; what: string }[] = [
  { name: /(^|\/)python$/, tag: /^(2\.|3\.[0-8](\D|$))/, what: 'Python 3.8 and older are end-of-life' },
  { name: /(^|\/)node$/, tag: /^(1[0-7]|[0-9])(\D|$)/, what: 'Node.js 17 and older are end-of-life' },
  { name: /(^|\/)(debian)$/, tag: /^(stretch|buster|9|10)(\D|$)/, what: 'Debian 10 and older are end-of-life' },
];

export const baseImageRules = [
  rule({
    id: 'BI-001',
    category,
    severity: 'medium',
    title: 'base image without a tag',
    why: 'FROM python means whatever "latest" is on the day of the build: builds are not reproducible.',
    fix: 'Pin a tag (python:3.12-slim), and for full reproducibility a digest (@sha256:...).',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        for (const s of df.stages) {
          if (s.parent || s.image === 'scratch' || s.image.includes('$')) continue;
          if (!imageRef(s.image).tag && !imageRef(s.image).digest)
            emit({ file: df.file, line: s.from.line, message: `FROM ${s.image} has no tag`, ignored: s.from.ignored });
        }
      }
    },
  }),
  rule({
    id: 'BI-002',
    category,
    severity: 'medium',
    title: 'base image on a floating tag',
    why: 'latest, lts, stable and version-less variants (alpine, slim) move under you: the same Dockerfile builds something else next week.',
    fix: 'Use a versioned tag (python:3.12-slim, node:22-alpine).',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        for (const s of df.stages) {
          const { name, tag, digest } = imageRef(s.image);
          if (!s.parent && !digest && tag && !tag.includes('$') && isFloatingTag(name, tag))
            emit({ file: df.file, line: s.from.line, message: `FROM ${s.image}`, ignored: s.from.ignored });
        }
      }
    },
  }),
  rule({
    id: 'BI-003',
    category,
    severity: 'info',
    title: 'base image not pinned by digest',
    why: 'A tag can be re-pointed by the registry; a digest cannot.',
    fix: 'Append @sha256:<digest> to the FROM image (keep the tag for readers).',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        for (const s of df.stages)
          if (!s.parent && s.image !== 'scratch' && !s.image.includes('$') && !imageRef(s.image).digest)
            emit({ file: df.file, line: s.from.line, message: `FROM ${s.image}`, ignored: s.from.ignored });
      }
    },
  }),
  rule({
    id: 'BI-004',
    category,
    severity: 'high',
    title: 'end-of-life base image',
    why: 'An end-of-life runtime gets no security fixes.',
    fix: 'Move to a supported release (python:3.12-slim, node:22).',
    check(input, emit) {
      const check = (ref: string, where: { file: string; line: number; ignored?: readonly string[] }) => {
        const { name, tag } = imageRef(ref);
        const hit = tag ? EOL.find((e) => e.name.test(name) && e.tag.test(tag)) : undefined;
        if (hit) emit({ ...where, message: `${ref}: ${hit.what}` });
      };
      for (const df of input.dockerfiles)
        for (const s of df.stages) if (!s.parent) check(s.image, { file: df.file, line: s.from.line, ignored: s.from.ignored });
      for (const s of input.compose?.services ?? [])
        if (s.config.image && !s.config.build) check(str(s.config.image), at(input.compose, servicePath(s, 'image')));
    },
  }),
  rule({
    id: 'BI-005',
    category,
    severity: 'low',
    title: 'package installs not pinned',
    why: 'pip install flask or apt-get install curl without versions installs whatever is newest at build time.',
    fix: 'Pin versions (flask==3.0.3), or install from a lock file (uv pip install -r pyproject.toml with uv.lock, pip -r requirements.txt with ==).',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        for (const s of df.stages) {
          for (const i of runInstructions(s)) {
            const pip = /\bpip3? install\s+(?!.*(-r|--requirement)\s)([^&;|]*)/.exec(i.args);
            const pkgs = pip?.[2]?.split(/\s+/).filter((w) => w && !w.startsWith('-') && w !== '.' && !w.includes('/')) ?? [];
            if (pkgs.some((p) => !/[=<>~]=?/.test(p)))
              emit({ file: df.file, line: i.line, message: `pip install ${pkgs.join(' ')} without versions`, ignored: i.ignored });
          }
        }
      }
    },
  }),
  rule({
    id: 'BI-006',
    category,
    severity: 'medium',
    title: 'distribution upgrade in the build',
    why: 'apt-get upgrade makes the image depend on the day it was built and hides what the base image ships.',
    fix: 'Use a newer base image tag instead of upgrading inside the build.',
    check(input, emit) {
      for (const df of input.dockerfiles)
        for (const i of df.all)
          if (i.cmd === 'RUN' && /\b(apt(-get)? (dist-)?upgrade|apk upgrade|yum update|dnf upgrade)\b/.test(i.args))
            emit({ file: df.file, line: i.line, message: 'RUN upgrades the distribution', ignored: i.ignored });
    },
  }),
  rule({
    id: 'BI-007',
    category,
    severity: 'medium',
    title: 'ADD where COPY would do, or ADD from a URL',
    why: 'ADD fetches URLs without checksum checks and unpacks archives implicitly.',
    fix: 'Use COPY for local files; for downloads, RUN curl with a checksum check (or ADD --checksum=sha256:...).',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        for (const i of df.all.filter((x) => x.cmd === 'ADD')) {
          const url = /https?:\/\//.test(i.args);
          if (url && i.flags.checksum) continue;
          emit({
            file: df.file,
            line: i.line,
            message: url ? 'ADD downloads a URL without --checksum' : `ADD ${i.args}`,
            severity: url ? 'medium' : 'low',
            ignored: i.ignored,
          });
        }
      }
    },
  }),
  rule({
    id: 'BI-008',
    category,
    severity: 'high',
    title: 'TLS or signature verification turned off',
    why: 'curl -k, pip --trusted-host or --allow-unauthenticated let anyone on the network swap what you install.',
    fix: 'Remove the flag and fix the certificate or key trust instead.',
    check(input, emit) {
      const bad =
        /(curl\s[^|;&]*(-k|--insecure)\b|wget\s[^|;&]*--no-check-certificate|--trusted-host|PYTHONHTTPSVERIFY=0|NODE_TLS_REJECT_UNAUTHORIZED=0|--allow-unauthenticated|--allow-untrusted|--nogpgcheck|GIT_SSL_NO_VERIFY|strict-ssl\s+false)/;
      for (const df of input.dockerfiles)
        for (const i of df.all)
          if ((i.cmd === 'RUN' || i.cmd === 'ENV') && bad.test(i.args))
            emit({ file: df.file, line: i.line, message: `${i.cmd} ${bad.exec(i.args)?.[0]}`, ignored: i.ignored });
    },
  }),
  rule({
    id: 'BI-009',
    category,
    severity: 'high',
    title: 'remote script piped into a shell',
    why: 'curl ... | sh runs whatever the server sends today, unverified.',
    fix: 'Download to a file, check its sha256, then run it; or install from a package manager.',
    check(input, emit) {
      for (const df of input.dockerfiles)
        for (const i of df.all)
          if (i.cmd === 'RUN' && /(curl|wget)\s[^;&]*\|\s*(ba|z)?sh\b/.test(i.args))
            emit({ file: df.file, line: i.line, message: 'RUN pipes a download into a shell', ignored: i.ignored });
    },
  }),
  rule({
    id: 'BI-010',
    category,
    severity: 'medium',
    title: 'COPY --from an external image without a tag',
    why: 'COPY --from=someimage pulls an unpinned image just like an untagged FROM.',
    fix: 'Give the image a tag (and a digest), or name a build stage.',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        const stages = new Set(df.stages.map((s) => s.name).filter(Boolean));
        for (const i of df.all.filter((x) => x.cmd === 'COPY' && x.flags.from)) {
          const from = i.flags.from?.[0] ?? '';
          if (stages.has(from.toLowerCase()) || /^\d+$/.test(from) || from.includes('$')) continue;
          const { name, tag, digest } = imageRef(from);
          if (!digest && (!tag || isFloatingTag(name, tag))) emit({ file: df.file, line: i.line, message: `COPY --from=${from}`, ignored: i.ignored });
        }
      }
    },
  }),
  rule({
    id: 'BI-011',
    category,
    severity: 'low',
    title: 'compose image untagged or on latest',
    why: 'image: ollama/ollama:latest is a different image on every pull.',
    fix: 'Pin a version (ollama/ollama:0.5.7) or make the tag a variable with a pinned default.',
    check(input, emit) {
      for (const s of input.compose?.services ?? []) {
        if (s.config.build || !s.config.image) continue;
        const { name, tag, digest } = imageRef(str(s.config.image));
        if (!digest && (!tag || isFloatingTag(name, tag)))
          emit({ ...at(input.compose, servicePath(s, 'image')), message: `service ${s.name} uses ${str(s.config.image)}` });
      }
    },
  }),
];
