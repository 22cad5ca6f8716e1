/** Health monitoring: whether Docker can tell a working service from a broken one, and whether probes can run at all. */

import { type AuditInput, rule } from '../model.ts';
import type { Service } from '../parse/compose.ts';
import { lineage } from '../parse/dockerfile.ts';
import { at, list, obj, runtimes, servicePath, str, type Unit, units } from './helpers.ts';

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

/** The HEALTHCHECK the unit's image carries (its stage's own or inherited through FROM <stage>). */
function imageProbe(u: Unit | undefined): Probe | undefined {
  if (!u?.df || !u.stage) return undefined;
  for (const st of lineage(u.stage)) {
    const hc = st.instructions.filter((i) => i.cmd === 'HEALTHCHECK').at(-1);
    if (hc) return { test: hc.args, disabled: /^NONE\b/i.test(hc.args), where: { file: u.df.file, line: hc.line, ignored: hc.ignored } };
  }
  return undefined;
}

function unitOf(input: AuditInput, s: Service): Unit | undefined {
  return units(input).find((u) => u.service === s);
}

/** The base image a unit runs on (its own image for an image-only service). */
function baseImage(u: Unit | undefined): string {
  if (!u) return '';
  if (u.image !== undefined) return u.image;
  return u.stage ? (lineage(u.stage).at(-1)?.image ?? '') : '';
}

/** Whether the unit's build installs curl or wget (apt-get, apk, yum, dnf, microdnf). */
function installsFetcher(u: Unit | undefined): boolean {
  if (!u?.stage) return false;
  return lineage(u.stage).some((st) => st.instructions.some((i) => i.cmd === 'RUN' && /\b(install|add)\b[^&;|]*\b(curl|wget)\b/.test(i.args)));
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
      for (const u of units(input)) {
        if (u.service) {
          if (!composeProbe(input, u.service) && !imageProbe(u))
            emit({ ...at(input.compose, servicePath(u.service)), message: `service ${u.name} has no healthcheck, and its image has none` });
        } else if (u.df && u.stage && !imageProbe(u)) {
          // An image no compose service builds is checked on its own: whoever runs it gets no health status.
          emit({
            file: u.df.file,
            line: u.stage.from.line,
            message: `the final stage (${u.stage.name ?? u.stage.index}) has no HEALTHCHECK`,
            services: [u.name],
            ignored: u.stage.from.ignored,
          });
        }
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
      for (const u of units(input)) {
        if (installsFetcher(u) || !NO_CURL.some((re) => re.test(baseImage(u)))) continue;
        const tool = (t: string) => (/\bcurl\b/.test(t) ? 'curl' : 'wget');
        const probe = u.service ? composeProbe(input, u.service) : undefined;
        if (probe && !probe.disabled && /\b(curl|wget)\b/.test(probe.test)) {
          emit({ ...probe.where, message: `service ${u.name} checks with ${tool(probe.test)}, which ${baseImage(u)} does not have` });
          continue;
        }
        const own = probe ? undefined : imageProbe(u);
        if (own && !own.disabled && /\b(curl|wget)\b/.test(own.test))
          emit({ ...own.where, services: [u.name], message: `HEALTHCHECK uses ${tool(own.test)}, which ${baseImage(u)} does not have` });
      }
    },
  }),
  rule({
    id: 'HM-003',
    category,
    severity: 'medium',
    title: 'health check that cannot fail',
    why: 'curl without --fail, python requests.get without raise_for_status(), or a probe ending in "|| true", reports healthy on an HTTP 500.',
    fix: 'Use curl -f (or python urllib, which raises on 4xx/5xx, or requests with .raise_for_status()) and let a failure exit non-zero.',
    check(input, emit) {
      // curl without --fail, python requests without raise_for_status() or a status check, `|| true`: all pass on HTTP 500.
      const weak = (t: string) =>
        (/\bcurl\b/.test(t) && !/\s(-f|--fail|-\w*f\w*)\b/.test(t)) ||
        (/\brequests\.(get|head)\(/.test(t) && !/raise_for_status|status_code|\.ok\b/.test(t)) ||
        /\|\|\s*(true|exit 0|echo)/.test(t);
      for (const s of input.compose?.services ?? []) {
        const p = composeProbe(input, s);
        if (p && !p.disabled && weak(p.test)) emit({ ...p.where, message: `service ${s.name}: ${p.test}` });
      }
      for (const df of input.dockerfiles)
        for (const i of df.all)
          if (i.cmd === 'HEALTHCHECK' && !/^NONE\b/i.test(i.args) && weak(i.args))
            emit({ file: df.file, line: i.line, message: `HEALTHCHECK ${i.args}`, ignored: i.ignored });
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
            message: `service ${s.name} disables its health check${imageProbe(unitOf(input, s)) ? ' (its image has one)' : ''}`,
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
          const probe = target && (composeProbe(input, target) ?? imageProbe(unitOf(input, target)));
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
            emit({ file: rt.df.file, line: last.line, message: `${last.cmd} ${last.args}`, services: [rt.name], ignored: last.ignored });
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
