/**
 * docker-dev as a person sees it in a terminal (issue 17, item 6): a real pseudo-terminal (util-linux `script`),
 * its output rendered by a terminal emulator (xterm.js, headless), Ctrl-C typed into the terminal. The header stays
 * at the top with the URL, what reloads, the debugger, the stand-ins and how to stop; the app's own logs run below
 * it, without compose's bookkeeping or health probes.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import xterm from '@xterm/headless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv } from '../helpers/cli.ts';
import { requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, getJson, projectContainers, removeProject } from '../helpers/project.ts';

const ROWS = 32;
const COLS = 120;

/** docker-dev in a pty of ROWS x COLS, its screen kept by a terminal emulator; `type` writes keys into the pty. */
function devInTerminal(p: ExampleProject, env: Record<string, string>) {
  const term = new xterm.Terminal({ rows: ROWS, cols: COLS, allowProposedApi: true, scrollback: 5000 });
  const vars: NodeJS.ProcessEnv = { ...cliEnv(env), TERM: 'xterm-256color' };
  delete vars.CI;
  const child = spawn(
    'script',
    ['-qfec', `stty cols ${COLS} rows ${ROWS}; exec ${process.execPath} ${BIN} -- docker-dev --tag ${p.name}-dev:latest`, '/dev/null'],
    {
      cwd: p.dir,
      env: vars,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let raw = '';
  child.stdout.on('data', (d: Buffer) => {
    raw += d.toString();
    term.write(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const screen = (): string[] => {
    const b = term.buffer.active;
    return Array.from({ length: ROWS }, (_, i) => b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
  };
  const until = async (what: string, timeoutMs: number, ok: (rows: string[]) => boolean): Promise<string[]> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await new Promise<void>((r) => term.write('', r));
      const rows = screen();
      if (ok(rows)) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; the screen:\n${screen().join('\n')}`);
  };
  return { child, exited, screen, until, raw: () => raw, type: (keys: string) => child.stdin.write(keys) };
}

describe('docker-dev in a terminal', () => {
  let p: ExampleProject;

  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject();
  });
  afterAll(() => removeProject(p));

  it('shows a fixed header over the app logs, keeps it current through a reload, and Ctrl-C removes everything', async () => {
    const debugPort = p.port + 2000;
    const dev = devInTerminal(p, { DEBUG_HOST_PORT: String(debugPort) });
    try {
      const up = await dev.until('the header to say the app is ready', 180_000, (rows) => rows.some((r) => /^ {2}status +ready \(/.test(r)));
      const header = up.slice(0, 8);
      expect(header[0]).toMatch(new RegExp(`^── task docker-dev · ${p.name} ─+$`));
      expect(header.slice(1, 7)).toEqual([
        `  app        ${p.url} (GET /health, /ready, /metrics)`,
        `  reloads    edits under ${path.join(p.dir, 'src')}/ restart the app (checked every 0.5s)`,
        `  debugger   127.0.0.1:${debugPort} (debug console: nc 127.0.0.1 ${debugPort} for a Python prompt in the app)`,
        '  stand-ins  Ollama, the Python base, uv (Ollama answers are canned)',
        '  stop       Ctrl-C stops the stack and removes its containers',
        expect.stringMatching(/^ {2}status +ready \(\d+\.\d s after compose up\)$/),
      ]);
      expect(header[7]).toMatch(/^─+$/);
      const logs = up.slice(8).join('\n');
      expect(logs).toContain(`promtior assistant 1 up at ${p.url}`);
      expect(logs).toContain('hot reload: watching /app/src every 0.5s');
      expect((await getJson(`${p.url}/ready`)).status).toBe(200);
      // A while of running: the probes (Docker's every second during start, Ollama's `ollama list`) stay out.
      await new Promise((r) => setTimeout(r, 6000));
      const quiet = dev.screen().slice(8).join('\n');
      for (const noise of ['/api/tags', 'GET /health ->', 'GET /ready ->', 'Creating', 'Attaching to', 'docker-compose']) expect(quiet).not.toContain(noise);

      const main = path.join(p.dir, 'src', 'app', 'main.py');
      writeFileSync(main, readFileSync(main, 'utf8').replace('VERSION = "1"', 'VERSION = "hot"'));
      const reloaded = await dev.until('the header to say the app reloaded', 20_000, (rows) => rows.some((r) => /^ {2}status +ready \(reloaded\)$/.test(r)));
      expect(reloaded.slice(8).join('\n')).toContain('hot reload: app/main.py changed; restarting');
      expect((await getJson(`${p.url}/version`)).body).toMatchObject({ version: 'hot' });
      expect(reloaded[0]).toMatch(/^── task docker-dev/);
    } finally {
      dev.type('\u0003');
    }
    expect(await dev.exited).toBe(130);
    expect(projectContainers(p.name)).toEqual([]);
    const end = dev.screen().join('\n');
    expect(end).toMatch(/⊘ docker-dev +[\d.]+ s +interrupted/);
    // The scroll region was given back: the summary is at the bottom of a normally scrolling screen.
    expect(dev.raw()).toContain('\u001b[r');
  });
});
