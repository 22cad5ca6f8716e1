/**
 * What docker-dev shows while the stack runs in the foreground: a header with what a person needs (where the app
 * is, what reloads, the debugger, the stand-ins in use, how to stop) kept current from the app's own lines, and
 * below it the app's logs (and Ollama's), without compose's bookkeeping or health-probe noise.
 *
 * The lines come from an attached `compose up` (`app_1  | text` for v1, `app-1  | text` for v2). The app's facts
 * come from its own log: the example app's "promtior assistant 1 up at URL" (uvicorn's "Application startup
 * complete." counts too), "debug console listening on :9229" or "debugpy listening on :9229", and the hot-reload
 * runner's "hot reload: ... changed; restarting".
 */
import type { HeaderRow, LineUpdate, LineView, LineViewFactory } from '../model/line-view.ts';

export interface DevViewFacts {
  project: string;
  /** Where the app is published on this machine (http://127.0.0.1:PORT). */
  url: string;
  /** The source folder mounted into the container (hot reload watches it). */
  source: string;
  debugPort: string;
  /** The roles running on local stand-ins (Ollama, the Python base, uv), empty when none. */
  standIns: readonly string[];
}

const SERVICE_LINE = /^(\S+?)[-_]\d+\s+\| ?(.*)$/;
const UP = /^promtior assistant \S+ up at (\S+)|Application startup complete\./;
const DEBUGGER = /(debug console|debugpy) listening on :(\d+)/;
const RELOAD = /^hot reload: (.*) changed; restarting/;
const WATCHING = /^hot reload: watching (\S+) every (\S+)/;
const EXITED = /^app exited with (-?\d+); waiting for a change/;
/** The example app's word on Ollama (app/ollama.py). */
const OLLAMA = /^Ollama (ready|answers again|stopped answering) /;
/** Ollama's health probes and the stand-in's equivalents: `ollama list` asks /api/tags every few seconds. */
const PROBE = /\b(GET|HEAD)\s+"?\/(api\/tags|api\/version)?"?(\s|$)/;
/** Compose's own lines worth a word: a container that stopped, and why compose stops. */
const COMPOSE_EXIT = /^(\S+?)[-_]\d+ exited with code (\d+)/;

export function devView(f: DevViewFacts): LineViewFactory {
  return (): LineView => {
    const started = Date.now();
    // The app's state as its own lines tell it: serving, Ollama answering, and whether it was reloaded since.
    const state = { up: false, ollama: false, reloaded: false, readyOnce: false };
    const status = (text: string): HeaderRow => ({ label: 'status', text });
    const app = (text: string): HeaderRow => ({ label: 'app', text });
    const now = (): HeaderRow => {
      if (!state.up) return status('starting…');
      if (!state.ollama) return status('up; waiting for Ollama (/ready answers 503 until it answers)');
      const first = !state.readyOnce;
      state.readyOnce = true;
      return status(state.reloaded ? 'ready (reloaded)' : first ? `ready (${((Date.now() - started) / 1000).toFixed(1)} s after compose up)` : 'ready');
    };
    return {
      title: `task docker-dev · ${f.project}`,
      header: [
        app(`${f.url} (starting…)`),
        { label: 'reloads', text: `edits under ${f.source} restart the app (hot reload)` },
        { label: 'debugger', text: `127.0.0.1:${f.debugPort} (starting…)` },
        { label: 'stand-ins', text: standInText(f.standIns) },
        { label: 'stop', text: 'Ctrl-C stops the stack and removes its containers' },
        status('starting…'),
      ],
      line(_stream, raw): LineUpdate {
        const exited = raw.match(COMPOSE_EXIT);
        if (exited) return { header: [status(`${exited[1]} exited with code ${exited[2]}`)], show: raw };
        const m = raw.match(SERVICE_LINE);
        // Compose's own lines (Creating..., Attaching to...): the header says it.
        if (!m) return /^(Aborting|Gracefully stopping|ERROR|WARNING)/i.test(raw) ? { show: raw } : {};
        const [, service = '', text = ''] = m;
        if (service !== 'app') return PROBE.test(text) ? {} : { show: `${service} | ${text}` };
        const up = text.match(UP);
        if (up) {
          state.up = true;
          return { header: [app(`${up[1] ?? f.url} (GET /health, /ready, /metrics)`), now()], show: text };
        }
        const ollama = text.match(OLLAMA);
        if (ollama) {
          state.ollama = ollama[1] !== 'stopped answering';
          return { header: [state.ollama ? now() : status('up, but Ollama stopped answering (/ready answers 503)')], show: text };
        }
        const debug = text.match(DEBUGGER);
        if (debug) {
          const how = debug[1] === 'debugpy' ? "attach your editor's Python debugger" : `nc 127.0.0.1 ${f.debugPort} for a Python prompt in the app`;
          return { header: [{ label: 'debugger', text: `127.0.0.1:${f.debugPort} (${debug[1]}: ${how})` }], show: text };
        }
        const watching = text.match(WATCHING);
        if (watching) return { header: [{ label: 'reloads', text: `edits under ${f.source} restart the app (checked every ${watching[2]})` }], show: text };
        const reload = text.match(RELOAD);
        if (reload) {
          Object.assign(state, { up: false, ollama: false, reloaded: true });
          return { header: [status(`reloading (${reload[1]} changed)`), app(`${f.url} (restarting…)`)], show: text };
        }
        const gone = text.match(EXITED);
        if (gone) return { header: [status(`the app exited with ${gone[1]}: fix the code, it restarts on the next change`)], show: text };
        return { show: text };
      },
    };
  };
}

function standInText(roles: readonly string[]): string {
  if (roles.length === 0) return 'none: registry images';
  return `${roles.join(', ')}${roles.includes('Ollama') ? ' (Ollama answers are canned)' : ''}`;
}
