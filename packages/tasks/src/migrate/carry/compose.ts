/**
 * The old compose file, read with the repo's bounded YAML reader: the app service (the one built from the
 * Dockerfile) key by key, every other service as it was (with its named volumes under the same names), and the
 * top-level volumes, networks and the rest. A service built from another context is "needs you".
 */
import { readYaml } from '@promtior/audit/yaml';
import type { RepoFiles } from '../read/repo.ts';
import { composeStart } from './command.ts';
import { type AppFindings, carryApp, type Where } from './compose-app.ts';
import { short } from './dockerfile.ts';
import { type Carry, map, type Source, type YamlMap } from './types.ts';

export const COMPOSE_NAMES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];

export interface ComposeFindings extends AppFindings {
  file?: string;
  /** The old compose project name, when the file sets one (`name:`). */
  projectName?: string;
}

const isMap = (v: unknown): v is YamlMap => typeof v === 'object' && v !== null && !Array.isArray(v);

export function carryCompose(
  repo: RepoFiles,
  dockerfile: string,
  carry: Carry,
  oldWorkdir: string | undefined,
  scripts: Record<string, string>,
): ComposeFindings {
  const file = COMPOSE_NAMES.find((f) => repo.exists(f));
  const found: ComposeFindings = { hasCommand: false };
  if (!file) return found;
  found.file = file;
  const read = readYaml(repo.read(file) ?? '', file);
  if (read.problems.length > 0 || !isMap(read.data)) {
    for (const p of read.problems) map(carry, { file, line: p.line, text: '' }, 'needs you', `${file} cannot be read: ${p.message}`);
    if (read.problems.length === 0) map(carry, { file, line: 1, text: '' }, 'needs you', `${file} is not a mapping of services`);
    return found;
  }
  const data = read.data;
  const at = (path: string[], text: string): Source => ({ file, line: read.locate(path)?.line ?? 1, text: short(text, 90) });
  const services = isMap(data.services) ? data.services : {};
  const app = appServiceOf(services, dockerfile);
  if (app) carry.appService = app;
  for (const [key, value] of Object.entries(data)) {
    if (key === 'services') continue;
    const from = at([key], `${key}: ...`);
    if (key === 'version') map(carry, { ...from, text: `version: ${String(value)}` }, 'not carried', 'obsolete in the compose specification');
    else if (key === 'name') {
      found.projectName = String(value);
      map(carry, { ...from, text: `name: ${String(value)}` }, 'carried', 'the volume names it made are kept (see volumes)');
    } else if (key === 'volumes' && isMap(value)) {
      for (const [v, def] of Object.entries(value)) {
        carry.top.volumes[v] = def ?? null;
        map(carry, at([key, v], `volumes: ${v}`), 'carried', `named volume ${v}, same name`);
      }
    } else if (key === 'networks' && isMap(value)) {
      for (const [n, def] of Object.entries(value)) carry.top.networks[n] = def ?? null;
      map(carry, from, 'carried', `networks ${Object.keys(value).join(', ')}`);
    } else {
      carry.top.other[key] = value;
      map(carry, from, 'carried', 'as it was');
    }
  }
  for (const [name, raw] of Object.entries(services)) {
    const svc = isMap(raw) ? raw : {};
    const from = at(['services', name], `${name}:`);
    if (name === app) carryApp(name, svc, carry, found, { file, at, oldWorkdir, scripts });
    else carryOther(name, svc, from, carry, dockerfile, { oldWorkdir, scripts, at });
  }
  return found;
}

/** The service built from the repo's Dockerfile (the one that publishes a port when several are). */
export function appServiceOf(services: YamlMap, dockerfile: string): string | undefined {
  const built = Object.entries(services)
    .filter(([, s]) => isMap(s) && buildsApp(s.build, dockerfile))
    .map(([n, s]) => ({ n, s: s as YamlMap }));
  const publishing = built.filter((b) => Array.isArray(b.s.ports) && b.s.ports.length > 0);
  const preferred = ['web', 'app', 'api', 'server', 'backend'];
  const pick = (list: typeof built) => list.find((b) => preferred.includes(b.n)) ?? list[0];
  return (pick(publishing) ?? pick(built))?.n;
}

function buildsApp(build: unknown, dockerfile: string): boolean {
  if (build === undefined || build === null) return false;
  const context = typeof build === 'string' ? build : isMap(build) ? String(build.context ?? '.') : '';
  const file = isMap(build) && build.dockerfile !== undefined ? String(build.dockerfile) : 'Dockerfile';
  return /^\.\/?$/.test(context) && file.replace(/^\.\//, '') === dockerfile;
}

function carryOther(name: string, svc: YamlMap, from: Source, carry: Carry, dockerfile: string, w: Omit<Where, 'file'>): void {
  const image = String(svc.image ?? '');
  if (/^(docker\.io\/)?ollama\/ollama(:|$)/.test(image)) {
    const vols = (Array.isArray(svc.volumes) ? svc.volumes : []).map((v) => String(isMap(v) ? v.source : v).split(':')[0] ?? '').filter((v) => /^\w/.test(v));
    carry.ollama = { volumes: vols, ports: Array.isArray(svc.ports) ? svc.ports : [] };
    map(
      carry,
      { ...from, text: `${name}: image ${image}` },
      'template',
      `the template's ollama service, keeping volume ${vols.join(', ') || '(none)'}${carry.ollama.ports.length > 0 ? ' and its published ports' : ''}`,
    );
    return;
  }
  if (svc.build !== undefined && !buildsApp(svc.build, dockerfile)) {
    map(
      carry,
      { ...from, text: `${name}: build: ${JSON.stringify(svc.build)}` },
      'needs you',
      `${name} builds its own image from another context or Dockerfile: migrate moves one service's image; build that one with its own tasks or a prebuilt image`,
    );
    return;
  }
  const out: YamlMap = { ...svc };
  if (svc.build !== undefined) {
    delete out.build;
    out.image = '${APP_IMAGE}';
    map(carry, { ...from, text: `${name}: build: ${JSON.stringify(svc.build)}` }, 'carried', `${name} runs the app's image (built by task docker-build)`);
  }
  if (out.command !== undefined) {
    const start = composeStart(out.command, w.at(['services', name, 'command'], `command: ${JSON.stringify(out.command)}`), w.oldWorkdir, w.scripts);
    if (!start.ok) map(carry, w.at(['services', name, 'command'], `command: ${short(JSON.stringify(out.command), 80)}`), 'needs you', start.why.join('; '));
  }
  carry.services[name] = out;
  map(
    carry,
    { ...from, text: `${name}: ${image ? `image ${image}` : '...'}` },
    'carried',
    `service ${name} as it was${volumesOf(svc).length > 0 ? `, with volume ${volumesOf(svc).join(', ')}` : ''}`,
  );
}

function volumesOf(svc: YamlMap): string[] {
  return (Array.isArray(svc.volumes) ? svc.volumes : []).map((v) => String(isMap(v) ? v.source : v).split(':')[0] ?? '').filter((v) => /^\w/.test(v));
}
