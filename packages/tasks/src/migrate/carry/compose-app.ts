/**
 * The old compose file's app service (the one built from the Dockerfile), key by key: its published port becomes
 * APP_PORT and APP_HOST_PORT, its environment the repo's variables (secrets moved to .env), its volumes stay (a bind
 * mount of the source is what the dev override does), its health check gives APP_HEALTH_PATH, the rest is kept.
 */
import { composeStart, rewriteWorkdir } from './command.ts';
import { short } from './dockerfile.ts';
import { healthOf } from './health.ts';
import { isSecret } from './secrets.ts';
import { type Carry, map, type Source, type YamlMap } from './types.ts';

export interface AppFindings {
  /** The app's published port: host side and container side. */
  port?: { host?: string; container: string; from: Source };
  health?: { path?: string; port?: string; interval?: string; startPeriod?: string; from: Source };
  hasCommand: boolean;
}

/** Keys of the app service carried as they were. */
const AS_IS = new Set([
  'env_file',
  'depends_on',
  'container_name',
  'hostname',
  'restart',
  'stop_signal',
  'stop_grace_period',
  'extra_hosts',
  'dns',
  'labels',
  'logging',
  'deploy',
  'user',
  'init',
  'tty',
  'stdin_open',
  'cap_add',
  'cap_drop',
  'devices',
  'ulimits',
  'sysctls',
  'security_opt',
  'read_only',
  'tmpfs',
  'shm_size',
  'expose',
  'links',
  'profiles',
  'working_dir',
  'secrets',
  'configs',
  'pid',
  'ipc',
  'mem_limit',
  'cpus',
]);

const isMap = (v: unknown): v is YamlMap => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Where {
  file: string;
  at: (path: string[], text: string) => Source;
  oldWorkdir: string | undefined;
  scripts: Record<string, string>;
}

export function carryApp(name: string, svc: YamlMap, carry: Carry, found: AppFindings, w: Where): void {
  for (const [key, value] of Object.entries(svc)) {
    const from = w.at(['services', name, key], `${key}: ${typeof value === 'object' ? '...' : String(value)}`);
    if (key === 'build') map(carry, from, 'template', "the template's Dockerfile, target production");
    else if (key === 'image') {
      if (!String(value).includes('$')) carry.image = String(value);
      map(carry, from, 'carried', `image ${String(value)} (tasks.config.ts image)`);
    } else if (key === 'ports' && Array.isArray(value)) ports(name, value, carry, found, w);
    else if (key === 'environment') environment(name, value, carry, w);
    else if (key === 'volumes' && Array.isArray(value)) appVolumes(name, value, carry, w);
    else if (key === 'command' || key === 'entrypoint') {
      const start = composeStart(value, from, w.oldWorkdir, w.scripts);
      if (!start.ok) map(carry, from, 'needs you', start.why.join('; '));
      else {
        carry.app[key] = value;
        found.hasCommand ||= key === 'command';
        map(carry, from, 'carried', `${key} on ${name} as it was`);
      }
    } else if (key === 'healthcheck' && isMap(value)) {
      const test = Array.isArray(value.test) ? value.test.map(String).join(' ') : String(value.test ?? '');
      if (value.disable === true || /^NONE\b/.test(test)) map(carry, from, 'not carried', 'the template keeps a health check: docker-run waits for it');
      else found.health = { ...healthOf(test, { interval: String(value.interval ?? ''), start_period: String(value.start_period ?? '') }), from };
    } else if (key === 'networks') {
      carry.app.networks = value;
      map(carry, from, 'carried', `${name} joins them, and the template's network`);
    } else if (AS_IS.has(key) || key.startsWith('x-')) {
      carry.app[key] = value;
      map(carry, from, 'carried', `${key} on ${name} as it was`);
    } else map(carry, from, 'needs you', `the key ${key} of ${name} is not one migrate knows how to carry`);
  }
}

/** `"5000:5000"`, `"127.0.0.1:8080:5000"`, `5000`, `{ target, published }`: the first is the app's port; the rest stay. */
function ports(name: string, list: unknown[], carry: Carry, found: AppFindings, w: Where): void {
  list.forEach((p, i) => {
    const from = w.at(['services', name, 'ports', String(i)], `ports: ${isMap(p) ? JSON.stringify(p) : String(p)}`);
    const parsed = parsePort(p);
    if (i === 0 && parsed) {
      found.port = { ...parsed, from };
      const variable = /\$\{(\w+)/.exec(String(p))?.[1];
      if (variable)
        carry.warnings.push(`${from.file}:${from.line}: the published port came from ${variable}; it is APP_HOST_PORT now (set that in .env to change it)`);
      map(
        carry,
        from,
        'carried',
        `APP_PORT=${parsed.container}${parsed.host && parsed.host !== parsed.container ? `, APP_HOST_PORT=${parsed.host}` : ''} (tasks.config.ts defaults)`,
      );
      return;
    }
    carry.app.ports = [...((carry.app.ports as unknown[]) ?? []), p];
    map(carry, from, 'carried', `published on ${name} as it was`);
  });
}

export function parsePort(p: unknown): { host?: string; container: string } | undefined {
  if (isMap(p)) return p.target !== undefined ? { host: p.published === undefined ? undefined : String(p.published), container: String(p.target) } : undefined;
  // A host port from a variable (`${WEB_PORT:-8090}:8090`) is its default: APP_HOST_PORT takes the variable's place.
  const text = String(p).replace(/\$\{\w+:?-(\d+)\}/g, '$1');
  const m = /^(?:((?:\d+\.){3}\d+|\[[\da-f:]+\]):)?(?:(\d+):)?(\d+)(?:\/tcp)?$/.exec(text);
  return m ? { host: m[2], container: m[3] as string } : undefined;
}

function environment(name: string, value: unknown, carry: Carry, w: Where): void {
  const entries: [string, string | undefined, string][] = Array.isArray(value)
    ? value.map((e, i) => {
        const [k = '', ...v] = String(e).split('=');
        return [k, v.length > 0 ? v.join('=') : undefined, String(i)];
      })
    : isMap(value)
      ? Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v), k])
      : [];
  for (const [key, raw, path] of entries) {
    const secret = isSecret(key, raw);
    const reference = raw !== undefined && /\$\{?\w/.test(raw);
    const from = w.at(['services', name, 'environment', path], `${key}=${secret && !reference ? '<secret>' : short(raw ?? '', 60)}`);
    if (raw === undefined || reference) {
      // Passed through from .env or the shell (`KEY:`, `KEY: ${KEY}`, `URL: http://${HOST}`): kept as written.
      const refs = raw === undefined ? [key] : [...raw.matchAll(/\$\{?(\w+)/g)].map((m) => m[1] as string);
      for (const r of refs)
        if (!carry.vars.has(r))
          carry.vars.set(r, {
            key: r,
            secret: isSecret(r, undefined),
            required: /:\?/.test(raw ?? ''),
            description: `Read by ${name} (${w.file}).`,
            toApp: false,
          });
      carry.app.environment = { ...((carry.app.environment as YamlMap) ?? {}), [key]: raw ?? `\${${key}}` };
      map(carry, from, 'carried', `${key} on ${name} as it was`);
    } else if (secret) {
      carry.secrets.push({ key, value: raw, from });
      carry.vars.set(key, { key, secret: true, required: true, description: `Secret, moved from ${from.file}:${from.line} to .env.`, toApp: true });
      map(carry, from, 'carried', `${key} in .env (mode 0600), referenced by the compose file`);
    } else {
      carry.vars.set(key, { key, value: raw, secret: false, required: false, description: `From ${from.file}:${from.line}.`, toApp: true });
      map(carry, from, 'carried', `${key} (tasks.config.ts env, default ${JSON.stringify(raw)})`);
    }
  }
}

/** Named volumes and data bind mounts stay; a bind mount of the source is what docker-compose.dev.yml does. */
function appVolumes(name: string, list: unknown[], carry: Carry, w: Where): void {
  list.forEach((v, i) => {
    const text = isMap(v) ? `${String(v.source ?? '')}:${String(v.target ?? '')}` : String(v);
    const from = w.at(['services', name, 'volumes', String(i)], `volumes: ${text}`);
    const [source = '', target = ''] = text.split(':');
    const isBind = /^[./~]/.test(source);
    if (isBind && (/^\.\/?(src)?\/?$/.test(source) || target === w.oldWorkdir || target === '/app' || target === '/app/src')) {
      map(carry, from, 'not carried', 'a bind mount of the source: docker-compose.dev.yml mounts it, with hot reload');
      return;
    }
    const moved = isMap(v)
      ? { ...v, target: rewriteWorkdir(target, w.oldWorkdir) }
      : [source, rewriteWorkdir(target, w.oldWorkdir), ...text.split(':').slice(2)].join(':');
    carry.app.volumes = [...((carry.app.volumes as unknown[]) ?? []), moved];
    const at = rewriteWorkdir(target, w.oldWorkdir) !== target ? ` at ${rewriteWorkdir(target, w.oldWorkdir)} (the app is in /app now)` : '';
    map(carry, from, 'carried', `${isBind ? 'bind mount' : `named volume ${source}`} on ${name}, same name${at}`);
  });
}
