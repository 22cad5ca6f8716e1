/** Health monitoring: whether Docker can tell a working service from a broken one, and whether probes can run at all. */

import { type AuditInput, rule } from '../model.ts';
import type { Service } from '../parse/compose.ts';
import { lineage } from '../parse/dockerfile.ts';
import { at, list, obj, runtimes, servicePath, str } from './helpers.ts';

const category = 'health-monitoring' as const;

/** Images known to lack curl and wget (slim/distroless Python, the ollama image, scratch). */
const NO_CURL = [/(^|\/)python:[^ ]*-slim/, /(^|\/)ollama\/ollama/, /distroless/, /^scratch$/, /-offline:/];

interface Probe {
  test: string;
  disabled: boolean;
  where: { file: string; line: number; ignored?: readonly string[] };
}

function composeProbe(input: AuditInput, s: Service): Probe | undefined {
  const hc = s.config.healthcheck;
  if (hc === undefined) return undefined;
  const h = obj(hc);
  const test = list(h.test).map(str);
  const disabled = h.disable === true || test[0] === 'NONE';
  return { test: test.filter((t) => t !== 'CMD' && t !== 'CMD-SHELL').join(' '), disabled, where: at(input.compose, servicePath(s, 'healthcheck')) };
}

/** The HEALTHCHECK the stage's image carries (its own or inherited through FROM <stage>). */
function imageProbe(input: AuditInput, s: Service | undefined): Probe | undefined {
  for (const rt of runtimes(input).filter((r) => r.service === s || !s)) {
    for (const st of lineage(rt.stage)) {
      const hc = st.instructions.filter((i) => i.cmd === 'HEALTHCHECK').at(-1);
      if (hc) return { test: hc.args, disabled: /^NONE\b/i.test(hc.args), where: { file: rt.df.file, line: hc.line, ignored: hc.ignored } };
    }
  }
  return undefined;
}

function serviceImage(input: AuditInput, s: Service): string {
  if (!s.config.build) return str(s.config.image);
  const rt = runtimes(input).find((r) => r.service === s);
  return rt ? (lineage(rt.stage).at(-1)?.image ?? '') : '';
}

export const healthRules = [
  rule({
    id: 'HM-001',
    category,
    severity: 'high',
    title: 'no health check',
    why: 'Without a health check Docker reports a hung or crash-looping app as "running", and depends_on cannot wait for it.',
    fix: 'Add a HEALTHCHECK to the runtime stage (or healthcheck: to the service) that requests the /health endpoint.',
    check(input, emit) {
      const services = input.compose?.services ?? [];
      // An image no compose service builds is checked on its own: whoever runs it gets no health status.
      for (const rt of runtimes(input).filter((r) => !r.service)) {
        if (!lineage(rt.stage).some((s) => s.instructions.some((i) => i.cmd === 'HEALTHCHECK')))
          emit({
            file: rt.df.file,
            line: rt.stage.from.line,
            message: `the final stage (${rt.stage.name ?? rt.stage.index}) has no HEALTHCHECK`,
            ignored: rt.stage.from.ignored,
          });
      }
      for (const s of services) {
        if (!composeProbe(input, s) && !imageProbe(input, s.config.build ? s : ({} as Service)))
          emit({ ...at(input.compose, servicePath(s)), message: `service ${s.name} has no healthcheck, and its image has none` });
      }
    },
  }),
  rule({
    id: 'HM-002',
    category,
    severity: 'high',
    title: 'health check uses a tool the image does not have',
    why: 'curl and wget are missing from python:*-slim and ollama/ollama: the check fails forever and the service never turns healthy.',
    fix: 'Probe with what the image has: python3 -c "import urllib.request; urllib.request.urlopen(\'http://127.0.0.1:8000/health\')", or `ollama list` for Ollama.',
    check(input, emit) {
      for (const s of input.compose?.services ?? []) {
        const probe = composeProbe(input, s);
        const image = serviceImage(input, s);
        if (probe && !probe.disabled && /\b(curl|wget)\b/.test(probe.test) && NO_CURL.some((re) => re.test(image)))
          emit({ ...probe.where, message: `service ${s.name} checks with ${/curl/.test(probe.test) ? 'curl' : 'wget'}, which ${image} does not have` });
      }
      for (const rt of runtimes(input)) {
        const base = lineage(rt.stage).at(-1)?.image ?? '';
        const installs = lineage(rt.stage).some((st) => st.instructions.some((i) => i.cmd === 'RUN' && /install[^&;]*\b(curl|wget)\b/.test(i.args)));
        for (const st of lineage(rt.stage)) {
          for (const hc of st.instructions.filter((i) => i.cmd === 'HEALTHCHECK' && /\b(curl|wget)\b/.test(i.args))) {
            if (!installs && NO_CURL.some((re) => re.test(base)))
              emit({ file: rt.df.file, line: hc.line, message: `HEALTHCHECK uses curl/wget, which ${base} does not have`, ignored: hc.ignored });
          }
        }
      }
    },
  }),
  rule({
    id: 'HM-003',
    category,
    severity: 'medium',
    title: 'health check that cannot fail',
    why: 'curl without --fail, or a probe ending in "|| true", reports healthy on an HTTP 500.',
    fix: 'Use curl -f (or python urllib, which raises on 4xx/5xx) and let a failure exit non-zero.',
    check(input, emit) {
      const weak = (t: string) => (/\bcurl\b/.test(t) && !/\s(-f|--fail|-\w*f\w*)\b/.test(t)) || /\|\|\s*(true|exit 0|echo)/.test(t);
      for (const s of input.compose?.services ?? []) {
        const p = composeProbe(input, s);
        if (p && !p.disabled && weak(p.test)) emit({ ...p.where, message: `service ${s.name}: ${p.test}` });
      }
      for (const df of input.dockerfiles)
        for (const i of df.all)
          if (i.cmd === 'HEALTHCHECK' && weak(i.args)) emit({ file: df.file, line: i.line, message: `HEALTHCHECK ${i.args}`, ignored: i.ignored });
    },
  }),
  rule({
    id: 'HM-004',
    category,
    severity: 'medium',
    title: 'health check disabled over the image',
    why: 'healthcheck: disable throws away the probe the image ships, so failures go unnoticed.',
    fix: 'Remove disable: true, or replace the test with a working one.',
    check(input, emit) {
      for (const s of input.compose?.services ?? []) {
        const p = composeProbe(input, s);
        if (p?.disabled)
          emit({
            ...p.where,
            message: `service ${s.name} disables its health check${imageProbe(input, s.config.build ? s : undefined) ? ' (its image has one)' : ''}`,
          });
      }
    },
  }),
  rule({
    id: 'HM-005',
    category,
    severity: 'critical',
    title: 'waits for a healthy service that has no health check',
    why: 'depends_on: condition: service_healthy on a service without a health check never becomes true: compose refuses to start.',
    fix: 'Give the dependency a healthcheck, or wait with condition: service_started.',
    check(input, emit) {
      const compose = input.compose;
      for (const s of compose?.services ?? []) {
        for (const [dep, cond] of Object.entries(obj(s.config.depends_on))) {
          if (str(obj(cond).condition) !== 'service_healthy') continue;
          const target = compose?.services.find((x) => x.name === dep);
          const probe = target && (composeProbe(input, target) ?? imageProbe(input, target.config.build ? target : ({} as Service)));
          if (!probe || probe.disabled)
            emit({
              ...at(compose, servicePath(s, `depends_on.${dep}`)),
              message: `service ${s.name} waits for ${dep} to be healthy, but ${dep} has no health check`,
            });
        }
      }
    },
  }),
  rule({
    id: 'HM-006',
    category,
    severity: 'low',
    title: 'depends_on without waiting for health',
    why: 'The list form (or service_started) starts the app before its dependency answers: the first requests fail.',
    fix: 'depends_on: { ollama: { condition: service_healthy } }.',
    check(input, emit) {
      const compose = input.compose;
      for (const s of compose?.services ?? []) {
        const deps = s.config.depends_on;
        const entries: [string, string][] = Array.isArray(deps)
          ? deps.map((d) => [str(d), ''])
          : Object.entries(obj(deps)).map(([k, v]) => [k, str(obj(v).condition)]);
        for (const [dep, cond] of entries) {
          const target = compose?.services.find((x) => x.name === dep);
          if (target && composeProbe(input, target) && cond !== 'service_healthy' && cond !== 'service_completed_successfully')
            emit({ ...at(compose, servicePath(s, 'depends_on')), message: `service ${s.name} starts before ${dep} is healthy` });
        }
      }
    },
  }),
  rule({
    id: 'HM-007',
    category,
    severity: 'low',
    title: 'shell-form CMD or ENTRYPOINT',
    why: 'The shell form runs the app under /bin/sh, which does not forward SIGTERM: stops wait for the kill timeout.',
    fix: 'Use the exec form: CMD ["python3", "-m", "app.main"] (or sh -c "exec ...").',
    check(input, emit) {
      for (const rt of runtimes(input)) {
        for (const st of lineage(rt.stage)) {
          const last = st.instructions.filter((i) => i.cmd === 'CMD' || i.cmd === 'ENTRYPOINT').at(-1);
          if (last && !last.args.trim().startsWith('['))
            emit({ file: rt.df.file, line: last.line, message: `${last.cmd} ${last.args}`, ignored: last.ignored });
          if (last) break;
        }
      }
    },
  }),
  rule({
    id: 'HM-008',
    category,
    severity: 'low',
    title: 'more than one HEALTHCHECK or CMD in a stage',
    why: 'Only the last one counts; the others mislead whoever reads the file.',
    fix: 'Keep one.',
    check(input, emit) {
      for (const df of input.dockerfiles) {
        for (const st of df.stages) {
          for (const cmd of ['HEALTHCHECK', 'CMD', 'ENTRYPOINT']) {
            const all = st.instructions.filter((i) => i.cmd === cmd);
            for (const extra of all.slice(0, -1))
              emit({ file: df.file, line: extra.line, message: `${cmd} is overridden at line ${all.at(-1)?.line}`, ignored: extra.ignored });
          }
        }
      }
    },
  }),
  rule({
    id: 'HM-009',
    category,
    severity: 'low',
    title: 'no restart policy',
    why: 'A crashed service stays down until someone notices.',
    fix: 'restart: unless-stopped (or on-failure:5).',
    check(input, emit) {
      for (const s of input.compose?.services ?? [])
        if (!s.config.restart && !obj(obj(s.config.deploy).restart_policy).condition)
          emit({ ...at(input.compose, servicePath(s)), message: `service ${s.name} has no restart policy` });
    },
  }),
];
