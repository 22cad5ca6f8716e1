/**
 * The running stack's operational surface: Prometheus metrics on /metrics (checked with a real text-format parser),
 * the scrape labels compose puts on the app, /health and /ready through an Ollama outage, and quiet logs.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { docker, requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, getJson, removeProject } from '../helpers/project.ts';

/** prom2json's shape, as parse-prometheus-text-format returns it. */
interface Family {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string }[];
}
// A port of the official Python client's parser: it throws on any line the text format does not allow. It ships
// no types, hence the typed require.
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => Family[];

function serviceContainer(p: ExampleProject, service: string): string {
  const id = docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${p.name}`, '--filter', `label=com.docker.compose.service=${service}`).trim();
  if (!id) throw new Error(`no ${service} container in project ${p.name}`);
  return id;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function scrape(p: ExampleProject): Promise<{ contentType: string; text: string; families: Map<string, Family> }> {
  const res = await fetch(`${p.url}/metrics`, { signal: AbortSignal.timeout(5000) });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { contentType: res.headers.get('content-type') ?? '', text, families: new Map(parsePrometheus(text).map((f) => [f.name, f])) };
}

/** The samples of one series name, each line parsed on its own (the parser folds labelled histograms together). */
function series(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .map((l) => {
      const [family] = parsePrometheus(`${l}\n`);
      const m = family?.metrics[0];
      return { labels: m?.labels ?? {}, value: Number(m?.value) };
    });
}

describe('metrics, scrape labels, readiness and quiet logs on the running stack', () => {
  let p: ExampleProject;
  let runOutput = '';

  it('docker-run says where the metrics are', () => {
    expect(runOutput).toContain(`  metrics: ${p.url}/metrics (Prometheus text format; the app container carries prometheus.io/* scrape labels)`);
  });

  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject();
    const r = runCli(['docker-run', '--tag', p.tag], { cwd: p.dir });
    if (r.code !== 0) throw new Error(`docker-run failed (${r.code}):\n${r.all}`);
    runOutput = r.stdout;
  });
  afterAll(() => removeProject(p));

  it('serves /metrics in the Prometheus text format: requests by path and status, a latency histogram, Ollama failures', async () => {
    await until('/ready', 15_000, async () => ((await getJson(`${p.url}/ready`)).status === 200 ? true : undefined));
    for (let i = 0; i < 3; i++) await getJson(`${p.url}/version`);
    expect((await getJson(`${p.url}/no-such-page`)).status).toBe(404);
    expect((await getJson(`${p.url}/chat`, { method: 'POST', body: JSON.stringify({ message: 'count me' }) })).status).toBe(200);
    const { contentType, text, families } = await scrape(p);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');

    const requests = families.get('assistant_http_requests_total');
    expect(requests?.type).toBe('COUNTER');
    const count = (labels: Record<string, string>) => Number(requests?.metrics.find((m) => JSON.stringify(m.labels) === JSON.stringify(labels))?.value);
    expect(count({ method: 'GET', path: '/version', status: '200' })).toBe(3);
    expect(count({ method: 'POST', path: '/chat', status: '200' })).toBe(1);
    // Unknown paths share one label value: a scanner cannot blow up the number of series.
    expect(count({ method: 'GET', path: 'other', status: '404' })).toBe(1);

    expect(families.get('assistant_http_request_duration_seconds')?.type).toBe('HISTOGRAM');
    const buckets = series(text, 'assistant_http_request_duration_seconds_bucket').filter((s) => s.labels.path === '/version');
    expect(buckets.at(-1)?.labels.le).toBe('+Inf');
    const values = buckets.map((b) => b.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(values.at(-1)).toBe(3);
    expect(series(text, 'assistant_http_request_duration_seconds_count').find((s) => s.labels.path === '/version')?.value).toBe(3);
    const sum = series(text, 'assistant_http_request_duration_seconds_sum').find((s) => s.labels.path === '/version')?.value ?? -1;
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(3);

    const failures = families.get('assistant_ollama_request_failures_total');
    expect(failures?.type).toBe('COUNTER');
    expect(failures?.metrics.find((m) => m.labels?.endpoint === '/api/generate' && m.labels.reason === 'unreachable')?.value).toBe('0');
    expect(families.get('assistant_ollama_up')?.metrics[0]?.value).toBe('1');
    expect(families.get('process_start_time_seconds')?.type).toBe('GAUGE');
  });

  it('compose labels the app for scraping: prometheus.io/scrape, port and path', () => {
    const labels = JSON.parse(docker('inspect', '--format', '{{json .Config.Labels}}', serviceContainer(p, 'app'))) as Record<string, string>;
    expect(labels).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(p.port), 'prometheus.io/path': '/metrics' });
  });

  it('logs one "up at" line with the URL; the Ollama stand-in logs its readiness once and none of its health probes', async () => {
    const ollama = serviceContainer(p, 'ollama');
    // Wait for Docker's own probes (`ollama list` → GET /api/tags) to have run a few times.
    await until('Ollama healthy in Docker', 30_000, async () =>
      docker('inspect', '--format', '{{.State.Health.Status}}', ollama).trim() === 'healthy' ? true : undefined,
    );
    const probes = (JSON.parse(docker('inspect', '--format', '{{json .State.Health.Log}}', ollama)) as unknown[]).length;
    expect(probes).toBeGreaterThan(0);
    const ollamaLog = docker('logs', ollama);
    expect(ollamaLog.match(/^ollama stand-in ready on 0\.0\.0\.0:11434/gm)?.length).toBe(1);
    expect(ollamaLog).not.toContain('[ollama-standin] GET /api/tags');
    expect(ollamaLog).toContain('[ollama-standin] POST /api/generate');
    const appLog = docker('logs', serviceContainer(p, 'app'));
    expect(appLog.match(new RegExp(`^promtior assistant 1 up at http://127\\.0\\.0\\.1:${p.port} `, 'gm'))?.length).toBe(1);
    expect(appLog).toMatch(/^Ollama ready at http:\/\/ollama:11434 \([\d.]+ s after the app started\)$/m);
    // Probes of /health, /ready and /metrics are not logged; real requests are.
    expect(appLog).not.toMatch(/^GET \/(health|ready|metrics) ->/m);
    expect(appLog).toContain('POST /chat -> 200');
  });

  it('an Ollama outage: /chat fails and is counted, /health stays 200 "degraded", /ready 503; back within seconds', async () => {
    const ollama = serviceContainer(p, 'ollama');
    docker('stop', '--time', '2', ollama);
    expect((await getJson(`${p.url}/chat`, { method: 'POST', body: JSON.stringify({ message: 'anyone?' }) })).status).toBe(502);
    const health = await getJson(`${p.url}/health`);
    expect(health).toMatchObject({ status: 200, body: { status: 'degraded', checks: { ollama: { status: 'unreachable' } } } });
    expect((await getJson(`${p.url}/ready`)).status).toBe(503);
    const { families } = await scrape(p);
    const failed = families
      .get('assistant_ollama_request_failures_total')
      ?.metrics.find((m) => m.labels?.endpoint === '/api/generate' && m.labels.reason === 'unreachable');
    expect(failed?.value).toBe('1');
    expect(families.get('assistant_ollama_up')?.metrics[0]?.value).toBe('0');

    docker('start', ollama);
    const back = Date.now();
    await until('/ready after Ollama restarted', 15_000, async () => ((await getJson(`${p.url}/ready`)).status === 200 ? true : undefined));
    // The failed /chat woke the watcher into its fast backoff (capped at 1 s): without that it would sleep its
    // steady 10 s interval before noticing Ollama again.
    expect(Date.now() - back).toBeLessThan(8000);
    expect((await getJson(`${p.url}/health`)).body).toMatchObject({ status: 'ok' });
    expect(docker('logs', serviceContainer(p, 'app'))).toMatch(/^Ollama answers again at http:\/\/ollama:11434$/m);
  });
});
