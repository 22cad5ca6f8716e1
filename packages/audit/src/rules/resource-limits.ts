/** Resource limits: per long-running service, memory, CPU and the rest. */
import { rule } from '../model.ts';
import type { Service } from '../parse/compose.ts';
import { at, obj, servicePath, str } from './helpers.ts';

const category = 'resource-limits' as const;

function limits(s: Service) {
  const l = obj(obj(obj(s.config.deploy).resources).limits);
  const r = obj(obj(obj(s.config.deploy).resources).reservations);
  return {
    memory: l.memory ?? s.config.mem_limit,
    cpus: l.cpus ?? s.config.cpus,
    pids: l.pids ?? s.config.pids_limit,
    reserved: Object.keys(r).length > 0 || s.config.mem_reservation !== undefined,
  };
}

/** One-shot services (a model puller, a migration) are not long-running; restart: "no" says so. */
function longRunning(s: Service): boolean {
  return str(s.config.restart) !== 'no' || s.config.healthcheck !== undefined;
}

export const resourceRules = [
  rule({
    id: 'RL-001',
    category,
    severity: 'high',
    title: 'no memory limit',
    why: 'A leak, or an Ollama model larger than expected, takes the memory of every other service on the host.',
    fix: 'deploy.resources.limits.memory (e.g. 1G for the app, 16G for Ollama), or mem_limit.',
    check(input, emit) {
      // Every service, one-shot ones included (a model puller can take all the memory too). A Dockerfile audited
      // without a compose file holds no limits to check: the category is "not applicable", not failed.
      for (const s of input.compose?.services ?? [])
        if (limits(s).memory === undefined) emit({ ...at(input.compose, servicePath(s)), message: `service ${s.name} has no memory limit` });
    },
  }),
  rule({
    id: 'RL-002',
    category,
    severity: 'low',
    title: 'no CPU limit',
    why: 'One busy service can starve the others of CPU.',
    fix: 'deploy.resources.limits.cpus (e.g. "1.0"), or cpus.',
    check(input, emit) {
      for (const s of input.compose?.services ?? [])
        if (longRunning(s) && limits(s).cpus === undefined) emit({ ...at(input.compose, servicePath(s)), message: `service ${s.name} has no CPU limit` });
    },
  }),
  rule({
    id: 'RL-003',
    category,
    severity: 'info',
    title: 'no process limit',
    why: 'A fork bomb or runaway worker pool exhausts the host PID table.',
    fix: 'deploy.resources.limits.pids (e.g. 256), or pids_limit.',
    check(input, emit) {
      for (const s of input.compose?.services ?? [])
        if (longRunning(s) && limits(s).pids === undefined) emit({ ...at(input.compose, servicePath(s)), message: `service ${s.name} has no pids limit` });
    },
  }),
  rule({
    id: 'RL-004',
    category,
    severity: 'medium',
    title: 'reservations without limits',
    why: 'A reservation guarantees a floor but sets no ceiling: the service can still take everything.',
    fix: 'Add deploy.resources.limits next to the reservations.',
    check(input, emit) {
      for (const s of input.compose?.services ?? []) {
        const l = limits(s);
        if (l.reserved && l.memory === undefined && l.cpus === undefined)
          emit({ ...at(input.compose, servicePath(s, 'deploy')), message: `service ${s.name} reserves resources but has no limits` });
      }
    },
  }),
  rule({
    id: 'RL-005',
    category,
    severity: 'info',
    title: 'logs not rotated',
    why: "Docker's json-file log grows without bound unless max-size is set.",
    fix: 'logging: { driver: json-file, options: { max-size: "10m", max-file: "3" } } (or set it daemon-wide).',
    check(input, emit) {
      for (const s of input.compose?.services ?? [])
        if (!obj(obj(s.config.logging).options)['max-size'])
          emit({ ...at(input.compose, servicePath(s)), message: `service ${s.name} does not rotate its logs` });
    },
  }),
];
