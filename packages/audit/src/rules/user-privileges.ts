/** User privileges: who the container runs as and what it may do. */

import { knownImage } from '../known-images.ts';
import { rule } from '../model.ts';
import { at, effectiveUser, isRootUser, list, runInstructions, runtimes, servicePath, str, units } from './helpers.ts';

const category = 'user-privileges' as const;

export const userRules = [
  rule({
    id: 'UP-001',
    category,
    severity: 'critical',
    title: 'runs as root',
    why: 'A process running as root in the container is root on the host after any container escape, and can rewrite the app itself.',
    fix: 'Create a user (groupadd/useradd with a fixed UID such as 1001) and end the final stage with USER 1001 or USER appuser.',
    check(input, emit) {
      for (const u of units(input)) {
        const override = u.service?.config.user;
        if (u.service && override !== undefined && override !== null && str(override) !== '') {
          if (isRootUser(str(override)))
            emit({
              ...at(input.compose, servicePath(u.service, 'user')),
              message: `service ${u.name} sets user: ${str(override)}, overriding the image's user`,
            });
          continue;
        }
        if (u.service && u.image !== undefined) {
          // An image-only service: the verdict comes from the well-known images table, else there is none.
          const known = knownImage(u.image);
          if (known?.root)
            emit({
              ...at(input.compose, servicePath(u.service, 'image')),
              severity: 'info',
              message: `service ${u.name} runs ${u.image}, whose image runs as root (${known.source}); set user: to a non-root UID if the image supports it`,
            });
          continue;
        }
        if (!u.df || !u.stage) continue;
        const { user, from, inherited } = effectiveUser(u.stage);
        if (!isRootUser(user)) continue;
        const stageName = u.stage.name ?? `stage ${u.stage.index}`;
        const what = u.service ? `the stage service ${u.name} runs (${stageName})` : `the final stage (${stageName})`;
        const message = from
          ? `${what} sets USER ${user}`
          : `no USER in ${what}${inherited ? ' or the stages it builds on' : ''}: it runs as the base image's root`;
        emit({
          file: u.df.file,
          line: from?.line ?? u.stage.from.line,
          message,
          services: [u.name],
          ignored: [...(from?.ignored ?? []), ...u.stage.from.ignored],
        });
      }
    },
  }),
  rule({
    id: 'UP-002',
    category,
    severity: 'info',
    title: 'USER is a name, not a numeric UID',
    why: 'Kubernetes runAsNonRoot and some runtimes can only verify numeric users.',
    fix: 'Use the numeric form, e.g. USER 1001:1001 (the name may stay in /etc/passwd).',
    check(input, emit) {
      for (const rt of runtimes(input)) {
        const { user, from } = effectiveUser(rt.stage);
        if (from && !isRootUser(user) && !/^\d+(:\d+)?$/.test(user))
          emit({ file: rt.df.file, line: from.line, message: `USER ${user} is a name`, ignored: from.ignored });
      }
    },
  }),
  rule({
    id: 'UP-003',
    category,
    severity: 'low',
    title: 'useradd without --no-log-init',
    why: 'useradd with a high UID writes a sparse lastlog entry that becomes a huge layer.',
    fix: 'Add -l / --no-log-init to useradd.',
    check(input, emit) {
      for (const df of input.dockerfiles)
        for (const i of df.all)
          if (i.cmd === 'RUN' && /\buseradd\b/.test(i.args) && !/\s(-l|--no-log-init)\b/.test(i.args))
            emit({ file: df.file, line: i.line, message: 'useradd without -l', ignored: i.ignored });
    },
  }),
  rule({
    id: 'UP-004',
    category,
    severity: 'high',
    title: 'sudo in RUN',
    why: 'sudo in an image means a user that can become root, and unpredictable TTY and signal behaviour.',
    fix: 'Run the step before USER switches to the app user, or use USER root ... USER app around it.',
    check(input, emit) {
      for (const df of input.dockerfiles)
        for (const i of df.all)
          if (i.cmd === 'RUN' && /(^|[;&|]\s*)sudo\s/.test(i.args)) emit({ file: df.file, line: i.line, message: 'RUN uses sudo', ignored: i.ignored });
    },
  }),
  rule({
    id: 'UP-005',
    category,
    severity: 'low',
    title: 'ownership changed with a chown layer instead of COPY --chown',
    why: 'RUN chown -R after COPY duplicates every copied byte into a new layer.',
    fix: 'Copy with COPY --chown=appuser:appgroup and drop the chown RUN.',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        for (const s of df.stages)
          for (const i of runInstructions(s))
            if (/\bchown\s+(-R|--recursive)\b/.test(i.args)) emit({ file: df.file, line: i.line, message: 'RUN chown -R', ignored: i.ignored });
      }
    },
  }),
  rule({
    id: 'UP-006',
    category,
    severity: 'critical',
    title: 'privileged container',
    why: 'privileged: true gives the container every capability and the host devices: it is root on the host.',
    fix: 'Remove privileged: true; add only the capability the service needs with cap_add.',
    check(input, emit) {
      for (const s of input.compose?.services ?? [])
        if (s.config.privileged === true) emit({ ...at(input.compose, servicePath(s, 'privileged')), message: `service ${s.name} is privileged` });
    },
  }),
  rule({
    id: 'UP-007',
    category,
    severity: 'low',
    title: 'no-new-privileges not set',
    why: 'Without no-new-privileges a setuid binary in the image can raise the process to root.',
    fix: 'Add security_opt: ["no-new-privileges:true"] to the service.',
    check(input, emit) {
      for (const s of input.compose?.services ?? []) {
        if (!list(s.config.security_opt).some((o) => /no-new-privileges(:true|=true)?$/.test(str(o))))
          emit({ ...at(input.compose, servicePath(s)), message: `service ${s.name} has no security_opt no-new-privileges:true` });
      }
    },
  }),
  rule({
    id: 'UP-008',
    category,
    severity: 'high',
    title: 'dangerous capability added',
    why: 'SYS_ADMIN, NET_ADMIN, SYS_PTRACE or ALL give the container host-level powers.',
    fix: 'Remove the capability, or replace it with the narrow one the service needs.',
    check(input, emit) {
      for (const s of input.compose?.services ?? []) {
        const bad = list(s.config.cap_add)
          .map(str)
          .filter((c) => /^(CAP_)?(ALL|SYS_ADMIN|NET_ADMIN|SYS_PTRACE|SYS_MODULE|DAC_READ_SEARCH)$/i.test(c));
        if (bad.length > 0) emit({ ...at(input.compose, servicePath(s, 'cap_add')), message: `service ${s.name} adds ${bad.join(', ')}` });
      }
    },
  }),
  rule({
    id: 'UP-009',
    category,
    severity: 'critical',
    title: 'Docker socket mounted',
    why: 'Whoever reaches /var/run/docker.sock controls the Docker daemon, and so the host, as root.',
    fix: 'Remove the docker.sock mount; if a tool needs the API, give it a socket proxy that allows only what it uses.',
    check(input, emit) {
      for (const s of input.compose?.services ?? []) {
        list(s.config.volumes).forEach((v, i) => {
          if (/docker\.sock/.test(str(v)))
            emit({ ...at(input.compose, servicePath(s, `volumes.${i}`)), message: `service ${s.name} mounts the Docker socket` });
        });
      }
    },
  }),
  rule({
    id: 'UP-010',
    category,
    severity: 'medium',
    title: 'host user namespace',
    why: 'userns_mode: host maps container root to host root even where user namespaces are on.',
    fix: 'Remove userns_mode: host.',
    check(input, emit) {
      for (const s of input.compose?.services ?? [])
        if (str(s.config.userns_mode) === 'host')
          emit({ ...at(input.compose, servicePath(s, 'userns_mode')), message: `service ${s.name} uses the host user namespace` });
    },
  }),
  rule({
    id: 'UP-011',
    category,
    severity: 'info',
    title: 'capabilities not dropped',
    why: 'Docker grants a default set of capabilities (CHOWN, NET_RAW, ...) that most apps never use.',
    fix: 'Add cap_drop: [ALL] and cap_add back only what is needed.',
    check(input, emit) {
      for (const s of input.compose?.services ?? [])
        if (!list(s.config.cap_drop).some((c) => /^ALL$/i.test(str(c))))
          emit({ ...at(input.compose, servicePath(s)), message: `service ${s.name} keeps Docker's default capabilities` });
    },
  }),
];
