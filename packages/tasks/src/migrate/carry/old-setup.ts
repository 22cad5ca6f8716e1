/**
 * Reads a repo's old Docker set-up (Dockerfile, compose file, Makefile, .env and .env.example) and decides what
 * each part becomes: the template's settings (tasks.config.ts `defaults`), the repo's own variables (`env`),
 * secrets moved to .env, the compose services and volumes kept under their names, and the "needs you" list.
 */
import { assistantSpec, parseDotenv } from '@promtior/env';
import { type RepoFiles, readRepo } from '../read/repo.ts';
import { rewriteWorkdir, startOf } from './command.ts';
import { type ComposeFindings, carryCompose } from './compose.ts';
import { parsePort } from './compose-app.ts';
import { carryDockerfile, type DockerfileFindings } from './dockerfile.ts';
import { carryMakefile, type MakefileFindings } from './makefile.ts';
import { isSecret } from './secrets.ts';
import { type Carry, map, newCarry, type Source } from './types.ts';

export interface OldSetup {
  carry: Carry;
  repo: RepoFiles;
  /** Health check timings the compose file keeps (interval, start period). */
  health: { interval?: string; startPeriod?: string };
  /** Named volumes whose full names must be written out (the old project name differs from the folder's). */
  pinned: Record<string, string>;
}

const TEMPLATE_DEFAULTS: Record<string, string> = {
  APP_PORT: '8000',
  APP_MODULE: 'app.main',
  APP_SOURCE: 'src',
  APP_PYTHONPATH: '/app/src',
  APP_DEPS: 'pyproject',
  APP_REQUIREMENTS: 'requirements.txt',
  APP_HEALTH_PATH: '/health',
  PYTHON_IMAGE: 'python:3.12-slim',
};

/** `configFrom`: where the set-up files are read from instead of the repo (a backup's files/, on a second run). */
export function readOldSetup(dir: string, project: string, configFrom?: string): OldSetup {
  const repo = readRepo(dir, configFrom);
  const carry = newCarry();
  const scripts = repo.pyproject?.scripts ?? {};
  const df = carryDockerfile(repo, 'Dockerfile', carry);
  const compose = carryCompose(repo, 'Dockerfile', carry, df.workdir, scripts);
  const makeText = repo.read('Makefile');
  const make = makeText === undefined ? {} : carryMakefile(makeText, carry);
  const envKeys = envFiles(repo, carry);
  carry.preset = isAssistant(carry, envKeys) ? 'assistant' : 'none';
  const set = (key: string, value: string) => {
    if (value !== TEMPLATE_DEFAULTS[key]) carry.defaults[key] = value;
  };
  start(df, compose, repo, carry, set);
  port(df, compose, make, carry, set);
  const health = healthCheck(df, compose, carry, set);
  deps(df, repo, carry, set);
  if (df.python) {
    set('PYTHON_IMAGE', df.python.image);
    map(carry, df.python.from, df.python.image === TEMPLATE_DEFAULTS.PYTHON_IMAGE ? 'template' : 'carried', `PYTHON_IMAGE=${df.python.image}`);
  }
  const apt = [...new Set(df.apt)];
  if (apt.length > 0) carry.defaults.APT_PACKAGES = apt.join(' ');
  for (const from of df.aptLines) map(carry, from, 'carried', `APT_PACKAGES=${apt.join(' ')} (installed by the template when the base lacks them)`);
  set('APP_SOURCE', df.copiesAll || !repo.srcLayout ? '.' : 'src');
  set('APP_PYTHONPATH', repo.srcLayout ? '/app/src' : '/app');
  carry.image = carry.image ?? make.image?.name;
  if (make.run && !compose.port && carry.app.ports === undefined) dockerRunSettings(make, carry, df.workdir);
  if (carry.preset === 'assistant') for (const k of Object.keys(assistantSpec)) carry.vars.delete(k);
  else if (!carry.defaults.DEV_COMMAND)
    carry.defaults.DEV_COMMAND = carry.defaults.APP_COMMAND ?? `python3 -m ${carry.defaults.APP_MODULE ?? TEMPLATE_DEFAULTS.APP_MODULE}`;
  for (const s of carry.secrets)
    carry.warnings.push(
      `${s.from.file}:${s.from.line}: ${s.key} was in the old image's configuration: it now lives in .env only, but images built before still hold it (\`docker history --no-trunc\`, \`docker inspect\`): rotate it`,
    );
  if ((carry.app.volumes as unknown[] | undefined)?.length)
    carry.warnings.push(
      `${carry.appService} now runs as appuser (uid 1001): files its volumes got from a root process may need \`chown -R 1001:1001\` before it can write them`,
    );
  return { carry, repo, health, pinned: pinnedVolumes(carry, compose, envKeys.values, project) };
}

type Setter = (key: string, value: string) => void;

function start(df: DockerfileFindings, compose: ComposeFindings, repo: RepoFiles, carry: Carry, set: Setter): void {
  const s = startOf(df.entrypoint, df.cmd, repo, df.workdir, repo.pyproject?.scripts ?? {});
  const lines = [df.entrypoint?.from, df.cmd?.from].filter((x): x is Source => x !== undefined);
  if (!s.ok) {
    // Each line gets its own reasons: a reason names its line, or (a script's lines) belongs to the ENTRYPOINT.
    const own = (from: Source) =>
      s.why.filter((w) => w.startsWith(`${from.file}:${from.line}:`) || (from === df.entrypoint?.from && !w.startsWith(`${from.file}:`)));
    for (const from of lines) {
      const why = own(from);
      if (why.length > 0) map(carry, from, 'needs you', why.map((w) => w.replace(`${from.file}:${from.line}: `, '')).join('; '));
    }
    return;
  }
  if (s.module) set('APP_MODULE', s.module);
  if (s.command) carry.defaults.APP_COMMAND = s.command;
  const to = s.command ? `APP_COMMAND=${s.command}` : s.module ? `APP_MODULE=${s.module}` : 'the template starts python3 -m app.main';
  for (const from of lines) map(carry, from, 'carried', [to, ...s.notes].join('; '));
  if (lines.length === 0 && !compose.hasCommand && !s.module && !s.command && repo.exists('Dockerfile'))
    carry.warnings.push(
      'the old Dockerfile has no CMD or ENTRYPOINT: the template starts `python3 -m app.main`; set APP_COMMAND in tasks.config.ts defaults otherwise',
    );
}

function port(df: DockerfileFindings, compose: ComposeFindings, make: MakefileFindings, carry: Carry, set: Setter): void {
  const run = make.run?.ports[0] ? parsePort(make.run.ports[0]) : undefined;
  const container = compose.port?.container ?? df.ports[0]?.port ?? run?.container;
  const host = compose.port?.host ?? run?.host;
  df.ports.forEach((p, i) => {
    map(
      carry,
      p.from,
      i === 0 ? 'carried' : 'not carried',
      i === 0 ? `APP_PORT=${container}` : 'EXPOSE only documents a port; the compose file publishes the ones used',
    );
  });
  if (container) set('APP_PORT', container);
  if (host && host !== container) carry.defaults.APP_HOST_PORT = host;
  if (compose.port && df.ports[0] && df.ports[0].port !== compose.port.container)
    carry.warnings.push(
      `${df.ports[0].from.file}:${df.ports[0].from.line} exposes ${df.ports[0].port} but the compose file publishes ${compose.port.container}: APP_PORT is ${container}`,
    );
}

function healthCheck(df: DockerfileFindings, compose: ComposeFindings, carry: Carry, set: Setter): OldSetup['health'] {
  const h = compose.health ?? df.health;
  for (const c of [df.health, compose.health].filter((x) => x !== undefined)) {
    if (c.path)
      map(
        carry,
        c.from,
        'carried',
        `APP_HEALTH_PATH=${c.path}${c.interval ? `, interval ${c.interval}` : ''}${c.startPeriod ? `, start period ${c.startPeriod}` : ''}`,
      );
    else
      map(
        carry,
        c.from,
        'needs you',
        'the health check is not an HTTP request to the app: the template checks APP_HEALTH_PATH over HTTP; say which path answers 200',
      );
  }
  if (h?.path) set('APP_HEALTH_PATH', h.path);
  else if (!h && carry.preset !== 'assistant') {
    set('APP_HEALTH_PATH', '/');
    carry.warnings.push(
      'the old set-up has no health check: the template and docker-run ask for / (set APP_HEALTH_PATH in tasks.config.ts defaults to a path that answers 200)',
    );
  }
  return { interval: h?.interval || undefined, startPeriod: h?.startPeriod || undefined };
}

function deps(df: DockerfileFindings, repo: RepoFiles, carry: Carry, set: Setter): void {
  const h = df.hints;
  const py = repo.pyproject;
  let style: string;
  let detail: string;
  if (h.uvSync || (repo.lock === 'uv.lock' && py?.hasProject)) [style, detail] = ['uv-lock', 'uv.lock, exactly as locked'];
  else if (h.requirements.length > 0 || (!py && repo.requirements.length > 0)) {
    const files = h.requirements.length > 0 ? [...new Set(h.requirements)] : repo.requirements.filter((f) => !/dev|test/.test(f));
    [style, detail] = ['requirements', files.join(' ')];
    set('APP_REQUIREMENTS', files.join(' '));
    const dev = repo.requirements.filter((f) => /dev|test/.test(f) && !files.includes(f));
    if (dev.length > 0) carry.defaults.APP_DEV_REQUIREMENTS = dev.join(' ');
  } else if (py?.hasProject) {
    [style, detail] = ['pyproject', '[project.dependencies] of pyproject.toml'];
    if (repo.lock === 'poetry.lock')
      carry.warnings.push(
        "poetry.lock is not applied: uv installs pyproject.toml's [project.dependencies] (export the lock to requirements.txt to keep its pins)",
      );
    if (!py.extras.includes('dev')) set('APP_DEV_EXTRA', 'none');
  } else if (py?.poetry || h.poetry) {
    for (const from of df.depsLines.length > 0 ? df.depsLines : [{ file: 'pyproject.toml', line: 1, text: '[tool.poetry]' }])
      map(
        carry,
        from,
        'needs you',
        'Poetry dependencies without a [project] table: move them to [project.dependencies] (Poetry 2 reads it) or export requirements.txt',
      );
    return;
  } else if (h.project || repo.exists('setup.py')) {
    for (const from of df.depsLines)
      map(carry, from, 'needs you', 'setup.py without pyproject.toml: add a pyproject.toml with [project.dependencies], or a requirements.txt');
    return;
  } else [style, detail] = ['none', 'no manifest found'];
  set('APP_DEPS', style);
  for (const from of df.depsLines) map(carry, from, 'carried', `APP_DEPS=${style} (${detail})`);
}

function envFiles(repo: RepoFiles, carry: Carry): { keys: Set<string>; values: Record<string, string> } {
  const keys = new Set<string>();
  const values: Record<string, string> = {};
  for (const file of ['.env', '.env.example']) {
    const text = repo.read(file);
    if (text === undefined) continue;
    for (const e of parseDotenv(text).entries) {
      keys.add(e.key);
      if (file === '.env') values[e.key] = e.value;
      if (carry.vars.has(e.key) || e.key === 'COMPOSE_PROJECT_NAME') continue;
      const secret = isSecret(e.key, file === '.env' ? e.value : undefined);
      carry.vars.set(e.key, { key: e.key, secret, required: secret && file === '.env' && e.value !== '', description: `From ${file}.`, toApp: false });
    }
  }
  return { keys, values };
}

function isAssistant(carry: Carry, env: { keys: Set<string> }): boolean {
  return carry.ollama !== undefined || ['ADMIN_REINGEST_KEY', 'LLM_PROVIDER', 'OLLAMA_BASE_URL'].some((k) => env.keys.has(k) || carry.vars.has(k));
}

/** A compose-less repo's `docker run` flags, as the app service's compose settings. */
function dockerRunSettings(make: MakefileFindings, carry: Carry, oldWorkdir: string | undefined): void {
  const run = make.run as NonNullable<MakefileFindings['run']>;
  for (const p of run.ports.slice(1)) carry.app.ports = [...((carry.app.ports as unknown[]) ?? []), p];
  for (const [key, value] of run.env) {
    const secret = isSecret(key, value);
    if (secret && value !== undefined) carry.secrets.push({ key, value, from: run.from });
    carry.vars.set(key, {
      key,
      value: secret ? undefined : value,
      secret,
      required: secret,
      description: `From ${run.from.file}:${run.from.line} (docker run -e).`,
      toApp: true,
    });
  }
  if (run.envFiles.length > 0) carry.app.env_file = run.envFiles;
  for (const v of run.volumes) {
    const [name = '', target = '', ...rest] = v.split(':');
    carry.app.volumes = [...((carry.app.volumes as unknown[]) ?? []), [name, rewriteWorkdir(target, oldWorkdir), ...rest].join(':')];
    // A plain docker volume has no project prefix: the compose file names it exactly.
    if (/^\w[\w.-]*$/.test(name)) carry.top.volumes[name] = { name };
  }
  map(
    carry,
    run.from,
    'carried',
    `the app service's ports, environment and volumes (${[...run.ports, ...run.volumes].join(', ') || 'none'}), under the same volume names`,
  );
}

/** When the old project name (compose `name:` or COMPOSE_PROJECT_NAME) is not the folder's, volumes keep their full names. */
function pinnedVolumes(carry: Carry, compose: ComposeFindings, env: Record<string, string>, project: string): Record<string, string> {
  const old = compose.projectName ?? env.COMPOSE_PROJECT_NAME;
  if (!old || old === project) return {};
  const pinned: Record<string, string> = {};
  for (const [key, def] of Object.entries(carry.top.volumes)) {
    const d = (def ?? {}) as Record<string, unknown>;
    if (d.name === undefined && d.external === undefined) pinned[key] = `${old}_${key}`;
  }
  if (Object.keys(pinned).length > 0)
    carry.warnings.push(`the old compose project was "${old}", the tasks use "${project}": the volumes keep their names (${Object.values(pinned).join(', ')})`);
  return pinned;
}
