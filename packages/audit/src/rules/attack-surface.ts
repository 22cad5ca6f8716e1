/** Attack surface: what is in the image and what the container can reach. */

import { rule } from '../model.ts';
import { lineage } from '../parse/dockerfile.ts';
import { at, list, obj, runInstructions, runtimes, servicePath, str } from './helpers.ts';

const category = 'attack-surface' as const;

export const attackSurfaceRules = [
  rule({
    id: 'AS-001',
    category,
    severity: 'low',
    title: 'apt-get install without --no-install-recommends',
    why: 'Recommended packages roughly double what gets installed, for nothing the app uses.',
    fix: 'apt-get install -y --no-install-recommends <packages>.',
    check(input, emit) {
      for (const df of input.dockerfiles)
        for (const i of df.all)
          if (i.cmd === 'RUN' && /apt(-get)?\s+install/.test(i.args) && !/--no-install-recommends/.test(i.args))
            emit({ file: df.file, line: i.line, message: 'apt-get install pulls in recommended packages', ignored: i.ignored });
    },
  }),
  rule({
    id: 'AS-002',
    category,
    severity: 'low',
    title: 'package manager cache left in the image',
    why: 'apt lists and pip caches add tens of MB to every layer that installs.',
    fix: 'pip install --no-cache-dir (or RUN --mount=type=cache); end apt-get installs with rm -rf /var/lib/apt/lists/*.',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        for (const i of df.all.filter((x) => x.cmd === 'RUN')) {
          const cached = (i.flags.mount ?? []).some((m) => m.includes('type=cache'));
          if (/\bpip3? install\b/.test(i.args) && !/--no-cache-dir/.test(i.args) && !cached)
            emit({ file: df.file, line: i.line, message: 'pip install keeps its cache', ignored: i.ignored });
          if (/apt(-get)?\s+install/.test(i.args) && !/rm -rf \/var\/lib\/apt\/lists/.test(i.args) && !cached)
            emit({ file: df.file, line: i.line, message: 'apt lists stay in the layer', ignored: i.ignored });
        }
      }
    },
  }),
  rule({
    id: 'AS-003',
    category,
    severity: 'medium',
    title: 'administration tools installed',
    why: 'ssh, sudo, vim or netcat in a runtime image are tools for whoever gets in.',
    fix: 'Leave them out of the runtime stage; debug with docker exec from a debug image instead.',
    check(input, emit) {
      for (const rt of runtimes(input)) {
        for (const s of lineage(rt.stage)) {
          for (const i of runInstructions(s)) {
            const tools = /install[^&;|]*\b(openssh-server|openssh-client|ssh|sudo|vim|nano|netcat(-\w+)?|nmap|telnet)\b/.exec(i.args);
            if (tools) emit({ file: rt.df.file, line: i.line, message: `the runtime image installs ${tools[1]}`, services: [rt.name], ignored: i.ignored });
          }
        }
      }
    },
  }),
  rule({
    id: 'AS-004',
    category,
    severity: 'high',
    title: 'SSH port exposed',
    why: 'An SSH daemon in a container is a second way in that bypasses docker exec and its audit trail.',
    fix: 'Remove EXPOSE 22 and the SSH server; use docker exec.',
    check(input, emit) {
      for (const df of input.dockerfiles)
        for (const i of df.all)
          if (i.cmd === 'EXPOSE' && /(^|\s)22(\/tcp)?(\s|$)/.test(i.args)) emit({ file: df.file, line: i.line, message: 'EXPOSE 22', ignored: i.ignored });
      for (const s of input.compose?.services ?? [])
        list(s.config.ports).forEach((p, n) => {
          if (/(^|:)22$/.test(str(p))) emit({ ...at(input.compose, servicePath(s, `ports.${n}`)), message: `service ${s.name} publishes port 22` });
        });
    },
  }),
  rule({
    id: 'AS-005',
    category,
    severity: 'medium',
    title: 'internal or debug port published on every interface',
    why: 'A database, model server or debugger port published as "11434:11434" is reachable from the whole network.',
    fix: 'Drop the ports: entry (services talk over the compose network), or bind to loopback: "127.0.0.1:11434:11434".',
    check(input, emit) {
      const internal = /^(5432|3306|6379|27017|11434|9229|5678|8000|9200)$/;
      for (const s of input.compose?.services ?? []) {
        list(s.config.ports).forEach((p, n) => {
          const parts = str(p).split(':');
          const target = (parts.at(-1) ?? '').split('/')[0] ?? '';
          const bound = parts.length === 3 && /^(127\.|localhost|\[::1\])/.test(parts[0] ?? '');
          if (!bound && internal.test(target) && !(s.config.build && target === '8000'))
            emit({ ...at(input.compose, servicePath(s, `ports.${n}`)), message: `service ${s.name} publishes ${str(p)} on all interfaces` });
        });
      }
    },
  }),
  rule({
    id: 'AS-006',
    category,
    severity: 'high',
    title: 'host namespace shared',
    why: 'network_mode, pid or ipc: host removes the isolation between the container and the host.',
    fix: 'Remove it; publish the ports the service needs instead of sharing the host network.',
    check(input, emit) {
      for (const s of input.compose?.services ?? [])
        for (const key of ['network_mode', 'pid', 'ipc'])
          if (str(s.config[key]) === 'host') emit({ ...at(input.compose, servicePath(s, key)), message: `service ${s.name} uses ${key}: host` });
    },
  }),
  rule({
    id: 'AS-007',
    category,
    severity: 'high',
    title: 'seccomp or AppArmor turned off',
    why: 'seccomp:unconfined and apparmor:unconfined open the whole kernel syscall surface to the container.',
    fix: 'Remove the security_opt entry, or give a custom profile that allows only the missing syscalls.',
    check(input, emit) {
      for (const s of input.compose?.services ?? [])
        if (list(s.config.security_opt).some((o) => /(seccomp|apparmor)[:=]unconfined/.test(str(o))))
          emit({ ...at(input.compose, servicePath(s, 'security_opt')), message: `service ${s.name} runs unconfined` });
    },
  }),
  rule({
    id: 'AS-008',
    category,
    severity: 'medium',
    title: 'development settings in the base compose file',
    why: 'Hot reload, source bind mounts and debugger ports in the file production uses ship a development server.',
    fix: 'Move them into a dev override (docker-compose.dev.yml) used only by docker-dev.',
    check(input, emit) {
      const compose = input.compose;
      if (!compose) return;
      const base = compose.files[0];
      for (const s of compose.services) {
        const cmd = str(s.config.command);
        if (/--reload\b|fastapi dev|flask run --debug/.test(cmd) && compose.where(servicePath(s, 'command')).file === base)
          emit({ ...at(compose, servicePath(s, 'command')), message: `service ${s.name} runs with hot reload` });
        list(s.config.volumes).forEach((v, n) => {
          const path = servicePath(s, `volumes.${n}`);
          if (/^\.\/?(src|app)\b/.test(str(v)) && compose.where(path).file === base)
            emit({ ...at(compose, path), message: `service ${s.name} mounts the source (${str(v)})` });
        });
      }
    },
  }),
  rule({
    id: 'AS-009',
    category,
    severity: 'low',
    title: 'writable root filesystem',
    why: 'read_only: true stops an intruder from changing the app or dropping tools into the container.',
    fix: 'Add read_only: true and tmpfs: [/tmp]; put data in named volumes.',
    check(input, emit) {
      for (const s of input.compose?.services ?? [])
        if (s.config.read_only !== true) emit({ ...at(input.compose, servicePath(s)), message: `service ${s.name} has a writable root filesystem` });
    },
  }),
  rule({
    id: 'AS-010',
    category,
    severity: 'medium',
    title: 'build tools in the runtime image',
    why: 'Compilers, package managers and their caches in the final image are size and attack surface the app does not need.',
    fix: 'Use a multi-stage build: install in a builder stage, copy only the result into the runtime stage.',
    check(input, emit) {
      for (const rt of runtimes(input)) {
        for (const s of lineage(rt.stage)) {
          for (const i of runInstructions(s)) {
            const m = /\b(build-essential|gcc|g\+\+|make|cmake|git)\b/.exec(/install/.test(i.args) ? i.args : '');
            if (m) emit({ file: rt.df.file, line: i.line, message: `the runtime stage installs ${m[1]}`, services: [rt.name], ignored: i.ignored });
          }
        }
        if (
          rt.df.stages.length === 1 &&
          lineage(rt.stage).some((s) => runInstructions(s).some((i) => /\b(pip3?|uv|poetry|npm|yarn) (install|add|sync)/.test(i.args)))
        ) {
          emit({
            file: rt.df.file,
            line: rt.stage.from.line,
            message: 'single-stage build: the package manager and its work stay in the runtime image',
            services: [rt.name],
            ignored: rt.stage.from.ignored,
          });
        }
      }
    },
  }),
  rule({
    id: 'AS-011',
    category,
    severity: 'info',
    title: 'no declared network',
    why: "Compose puts every service on one project network; declared networks let you keep internal services off the app's public side.",
    fix: 'Declare a network (networks: { app: {} }) and attach the services to it.',
    check(input, emit) {
      const compose = input.compose;
      for (const s of compose?.services ?? [])
        if (!s.config.networks && !s.config.network_mode && Object.keys(obj(s.config)).length > 0 && compose && compose.services.length > 1)
          emit({ ...at(compose, servicePath(s)), message: `service ${s.name} is on the default network` });
    },
  }),
];
