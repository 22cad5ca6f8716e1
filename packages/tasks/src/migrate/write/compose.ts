/**
 * The repo's compose files, made from the assets' templates (read from the package, so their health checks,
 * limits, read-only root and network come along) with what the old set-up carried: the app service under its old
 * name with its defaults, environment, ports and volumes; the other services and their named volumes as they were;
 * the assistant's parts (Ollama, its variables) only for the assistant. The template files themselves never change.
 */
import { assistantSpec } from '@promtior/env';
import { type Document, isMap, isScalar, isSeq, type Pair, parseDocument, type Scalar, type YAMLMap } from 'yaml';
import type { OldSetup } from '../carry/old-setup.ts';
import type { Carry, TeamVar } from '../carry/types.ts';

export interface ComposeOptions {
  /** The Dockerfile the app builds from (keep-both: Dockerfile.optimized). */
  dockerfile: string;
  /** The image docker-build tags (tasks.config.ts image, or the default). */
  image: string;
}

/** `${KEY:-8000}` → `${KEY:-<value>}` everywhere in a string. */
function withDefault(text: string, key: string, value: string): string {
  return text.replace(new RegExp(`\\$\\{${key}:-[^}]*\\}`, 'g'), () => `\${${key}:-${composeText(value)}}`);
}

/** A literal `$` in a compose file is written `$$`. */
function composeText(value: string): string {
  return value.split('$').join('$$');
}

/** Every string scalar under `node`, rewritten by `fn`. */
function rewriteScalars(node: unknown, fn: (s: string) => string): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string') node.value = fn(node.value);
  } else if (isMap(node)) {
    for (const pair of node.items) rewriteScalars(pair.value, fn);
  } else if (isSeq(node)) for (const item of node.items) rewriteScalars(item, fn);
}

function renameKey(map: YAMLMap, from: string, to: string): void {
  if (from === to) return;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === from) as Pair<Scalar, unknown> | undefined;
  if (pair) pair.key.value = to;
}

/** The compose reference to a variable: required secrets stop compose with a message; others default to their value. */
export function envReference(v: TeamVar): string {
  if (v.secret && v.required) return `\${${v.key}:?${v.key} is not set; add it to .env}`;
  // A default cannot hold `}`: such a value is written as it is (the variable then cannot override it).
  if (v.value?.includes('}')) return composeText(v.value);
  return `\${${v.key}:-${composeText(v.value ?? '')}}`;
}

export function renderCompose(setup: OldSetup, template: string, opts: ComposeOptions): string {
  const { carry } = setup;
  const doc = parseDocument(template);
  const services = doc.get('services') as YAMLMap;
  const keepOllama = carry.ollama !== undefined;
  renameKey(services, 'app', carry.appService);
  const app = services.get(carry.appService) as YAMLMap;
  applyDefaults(app, carry, setup.health);
  rewriteScalars(app, (s) => withDefault(s, 'APP_IMAGE', opts.image).replace(/\$\{DOCKERFILE:-[^}]*\}/, opts.dockerfile));
  environment(doc, app, carry);
  if (!keepOllama) app.delete('depends_on');
  for (const [key, value] of Object.entries(carry.app)) {
    if (key === 'environment') continue;
    if (key === 'ports' || key === 'volumes')
      app.set(key, doc.createNode([...((app.get(key) as { toJSON(): unknown[] })?.toJSON() ?? []), ...(value as unknown[])]));
    else if (key === 'networks') app.set(key, doc.createNode(networks((app.get('networks') as { toJSON(): unknown })?.toJSON(), value)));
    else if (key === 'depends_on' && keepOllama) app.set(key, doc.createNode(merged((app.get(key) as { toJSON(): unknown }).toJSON(), value)));
    else app.set(key, doc.createNode(value));
  }
  const volumes = doc.get('volumes') as YAMLMap;
  if (keepOllama) {
    const ollama = services.get('ollama') as YAMLMap;
    const names = carry.ollama?.volumes.length ? carry.ollama.volumes : ['ollama-models'];
    ollama.set('volumes', doc.createNode(names.map((n) => `${n}:/root/.ollama`)));
    if (carry.ollama?.ports.length) ollama.set('ports', doc.createNode(carry.ollama.ports));
    if (!names.includes('ollama-models')) volumes.delete('ollama-models');
    for (const n of names) if (!volumes.has(n)) volumes.set(n, null);
  } else {
    services.delete('ollama');
    volumes.delete('ollama-models');
  }
  for (const [name, svc] of Object.entries(carry.services)) {
    const out = { ...svc };
    if (out.image === '${APP_IMAGE}') out.image = `\${APP_IMAGE:-${opts.image}}`;
    if (out.networks === undefined) out.networks = ['promtior'];
    services.set(name, doc.createNode(out));
  }
  for (const [name, def] of Object.entries(carry.top.volumes)) {
    const pinned = setup.pinned[name];
    volumes.set(name, doc.createNode(pinned ? { ...((def as object) ?? {}), name: pinned } : def));
  }
  const nets = doc.get('networks') as YAMLMap;
  for (const [name, def] of Object.entries(carry.top.networks)) if (name !== 'default') nets.set(name, doc.createNode(def));
  for (const [key, value] of Object.entries(carry.top.other)) doc.set(key, doc.createNode(value));
  if (carry.preset === 'none') dropAssistantSecrets(doc, app);
  doc.commentBefore = header(setup, 'docker-compose.full.yml');
  return doc.toString({ lineWidth: 0 });
}

/** The development override: the app under its name, Ollama's block only when the stack has Ollama. */
export function renderDevCompose(setup: OldSetup, template: string): string {
  const doc = parseDocument(template);
  const services = doc.get('services') as YAMLMap;
  renameKey(services, 'app', setup.carry.appService);
  if (!setup.carry.ollama) services.delete('ollama');
  doc.commentBefore = header(setup, 'docker-compose.dev.yml');
  return doc.toString({ lineWidth: 0 });
}

function header(setup: OldSetup, template: string): string {
  return [
    ` Written by \`task migrate\` from the template packages/docker-assets/assets/${template} and this repo's old set-up`,
    ` (${setup.carry.appService}: its port, environment, volumes and health check; ${Object.keys(setup.carry.services).length} other service(s) as they were).`,
    ' Settings live in tasks.config.ts (defaults, env) and .env; `task migrate --dry-run` shows where each old line went.',
  ].join('\n');
}

function applyDefaults(app: YAMLMap, carry: Carry, health: OldSetup['health']): void {
  const d = carry.defaults;
  rewriteScalars(app, (s) => {
    let out = s;
    for (const [key, value] of Object.entries(d)) out = withDefault(out, key, value);
    out = withDefault(out, 'APP_HOST_PORT', d.APP_HOST_PORT ?? d.APP_PORT ?? '8000');
    if (health.interval) out = withDefault(out, 'APP_HEALTH_INTERVAL', health.interval);
    if (health.startPeriod) out = withDefault(out, 'APP_HEALTH_START_PERIOD', health.startPeriod);
    return out;
  });
}

function environment(doc: Document, app: YAMLMap, carry: Carry): void {
  const env = app.get('environment') as YAMLMap;
  if (carry.preset === 'none') for (const key of Object.keys(assistantSpec)) if (key !== 'APP_PORT') env.delete(key);
  for (const v of carry.vars.values()) if (v.toApp) env.set(v.key, envReference(v));
  for (const [key, value] of Object.entries((carry.app.environment as Record<string, unknown>) ?? {})) env.set(key, doc.createNode(value));
}

/** Compose secrets the template gives the assistant's keys are not another service's. */
function dropAssistantSecrets(doc: Document, app: YAMLMap): void {
  const names = Object.keys(assistantSpec).map((k) => k.toLowerCase());
  const isAssistants = (v: unknown) => names.some((n) => String(v).toLowerCase().includes(n));
  const appSecrets = app.get('secrets');
  if (isSeq(appSecrets)) appSecrets.items = appSecrets.items.filter((i) => !isAssistants(isMap(i) ? i.get('source') : isScalar(i) ? i.value : i));
  if (isSeq(appSecrets) && appSecrets.items.length === 0) app.delete('secrets');
  const top = doc.get('secrets');
  if (isMap(top)) {
    top.items = top.items.filter((p) => !isAssistants(isScalar(p.key) ? p.key.value : p.key));
    if (top.items.length === 0) doc.delete('secrets');
  }
}

function networks(template: unknown, team: unknown): unknown {
  const names = (v: unknown) => (Array.isArray(v) ? v.map(String) : v && typeof v === 'object' ? Object.keys(v) : []);
  if (team && typeof team === 'object' && !Array.isArray(team)) return { ...Object.fromEntries(names(template).map((n) => [n, null])), ...team };
  return [...new Set([...names(template), ...names(team)])].filter((n) => n !== 'default');
}

function merged(a: unknown, b: unknown): unknown {
  const asMap = (v: unknown) => (Array.isArray(v) ? Object.fromEntries(v.map((n) => [String(n), { condition: 'service_started' }])) : ((v ?? {}) as object));
  return { ...asMap(a), ...asMap(b) };
}
