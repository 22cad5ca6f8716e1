import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HeaderRow, LineUpdate } from '../model/line-view.ts';
import { devView } from './dev-view.ts';

const facts = { project: 'shop', url: 'http://127.0.0.1:8123', source: '/w/shop/src/', debugPort: '9229', standIns: ['Ollama', 'uv'] };
const row = (rows: readonly HeaderRow[] | undefined, label: string) => rows?.find((r) => r.label === label)?.text;

/** Feeds lines through a fresh view and returns the header as it ends up, and the lines shown. */
function run(lines: string[]): { header: Map<string, string>; shown: string[]; updates: LineUpdate[] } {
  const view = devView(facts)();
  const header = new Map(view.header.map((r) => [r.label, r.text]));
  const shown: string[] = [];
  const updates = lines.map((l) => view.line('stdout', l));
  for (const u of updates) {
    for (const r of u.header ?? []) header.set(r.label, r.text);
    if (u.show !== undefined) shown.push(u.show);
  }
  return { header, shown, updates };
}

describe('docker-dev view', () => {
  it('starts with what is known from the plan: URL, reloads, debugger, stand-ins, how to stop', () => {
    const { header } = run([]);
    expect([...header.keys()]).toEqual(['app', 'reloads', 'debugger', 'stand-ins', 'stop', 'status']);
    expect(header.get('app')).toBe('http://127.0.0.1:8123 (starting…)');
    expect(header.get('stand-ins')).toBe('Ollama, uv (Ollama answers are canned)');
    expect(header.get('stop')).toMatch(/^Ctrl-C stops the stack and removes its containers/);
  });

  it("fills the header from the app's own lines (compose v1 and v2 prefixes) and shows the app's logs without compose's", () => {
    const { header, shown } = run([
      'Creating network "shop_promtior" with driver "bridge"',
      'Creating shop_app_1 ... done',
      'Attaching to shop_ollama_1, shop_app_1',
      'app_1     | hot reload: watching /app/src every 0.5s',
      'ollama_1  | ollama stand-in ready on 0.0.0.0:11434 (health probes are not logged)',
      'app-1     | debug console listening on :9229 (install debugpy for a DAP debugger)',
      'app_1     | promtior assistant 1 up at http://127.0.0.1:8123 (GET /health, /ready, /metrics; Ollama at http://ollama:11434)',
      'app_1     | Ollama ready at http://ollama:11434 (0.06 s after the app started)',
      'app_1     | POST /chat -> 200',
    ]);
    expect(header.get('app')).toBe('http://127.0.0.1:8123 (GET /health, /ready, /metrics)');
    expect(header.get('status')).toMatch(/^ready \(\d+\.\d s after compose up\)$/);
    expect(header.get('debugger')).toBe('127.0.0.1:9229 (debug console: nc 127.0.0.1 9229 for a Python prompt in the app)');
    expect(header.get('reloads')).toBe('edits under /w/shop/src/ restart the app (checked every 0.5s)');
    expect(shown).toEqual([
      'hot reload: watching /app/src every 0.5s',
      'ollama | ollama stand-in ready on 0.0.0.0:11434 (health probes are not logged)',
      'debug console listening on :9229 (install debugpy for a DAP debugger)',
      'promtior assistant 1 up at http://127.0.0.1:8123 (GET /health, /ready, /metrics; Ollama at http://ollama:11434)',
      'Ollama ready at http://ollama:11434 (0.06 s after the app started)',
      'POST /chat -> 200',
    ]);
  });

  it('tells serving from ready: the app is up before Ollama answers, and says so when Ollama stops and comes back', () => {
    const status = (lines: string[]) => run(lines).header.get('status');
    const up = 'app_1 | promtior assistant 1 up at http://127.0.0.1:8123 (GET /health)';
    expect(status([up])).toBe('up; waiting for Ollama (/ready answers 503 until it answers)');
    expect(status(['app_1 | Ollama ready at http://ollama:11434 (0.01 s after the app started)', up])).toMatch(/^ready \(/);
    expect(status([up, 'app_1 | Ollama ready at x (0.1 s)', 'app_1 | Ollama stopped answering (x); retrying'])).toBe(
      'up, but Ollama stopped answering (/ready answers 503)',
    );
    expect(status([up, 'app_1 | Ollama ready at x (0.1 s)', 'app_1 | Ollama stopped answering (x)', 'app_1 | Ollama answers again at x'])).toBe('ready');
    const reloaded = [up, 'app_1 | Ollama ready at x (0.1 s)', 'app_1 | hot reload: app/main.py changed; restarting', up, 'app_1 | Ollama ready at x (0.01 s)'];
    expect(status(reloaded)).toBe('ready (reloaded)');
  });

  it("says when the app reloads, when it exited, and keeps Ollama's health probes out", () => {
    const { shown, updates } = run([
      'app_1  | hot reload: app/main.py changed; restarting',
      'ollama_1  | [GIN] 2026/01/01 - 10:00:00 | 200 |     512.1µs |       127.0.0.1 | GET      "/api/tags"',
      'ollama_1  | [GIN] 2026/01/01 - 10:00:01 | 200 |   1.2s |   172.18.0.3 | POST     "/api/generate"',
    ]);
    expect(row(updates[0]?.header, 'status')).toBe('reloading (app/main.py changed)');
    expect(shown).toEqual(['hot reload: app/main.py changed; restarting', expect.stringContaining('POST     "/api/generate"')]);
    const gone = run(['app_1  | app exited with 1; waiting for a change to restart']).header.get('status');
    expect(gone).toBe('the app exited with 1: fix the code, it restarts on the next change');
    expect(run(['shop_app_1 exited with code 137']).header.get('status')).toBe('shop_app exited with code 137');
    expect(run(['app_1 | debugpy listening on :9229']).header.get('debugger')).toMatch(/debugpy: attach your editor/);
  });

  it('any line: the view never throws, and each update is data (header rows with labels, a string or nothing)', () => {
    const line = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom('app_1', 'app-1', 'ollama_1', 'x_9'), fc.constantFrom(' | ', '  |', ' |'), fc.string()).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const view = devView(facts)();
        for (const l of lines) {
          const u = view.line('stdout', l);
          expect(u.show === undefined || typeof u.show === 'string').toBe(true);
          for (const r of u.header ?? []) expect(view.header.map((h) => h.label)).toContain(r.label);
        }
      }),
    );
  });
});
