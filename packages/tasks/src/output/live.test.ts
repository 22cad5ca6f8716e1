/**
 * The live view's escape sequences, rendered by a real terminal emulator (xterm.js, headless): what a person sees,
 * row by row, not the bytes we hoped to write.
 */
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { liveView, type Screen } from './live.ts';

/** A terminal of `rows` x `cols`; `\n` becomes CR LF as a tty's output processing (onlcr) does. */
function terminal(rows: number, cols: number) {
  const term = new xterm.Terminal({ rows, cols, convertEol: true, allowProposedApi: true, scrollback: 1000 });
  let pending = Promise.resolve();
  const resize: (() => void)[] = [];
  const screen: Screen = {
    write: (text) => {
      pending = pending.then(() => new Promise<void>((r) => term.write(text, r)));
    },
    size: () => ({ rows: term.rows, columns: term.cols }),
    onResize: (fn) => {
      resize.push(fn);
      return () => resize.splice(resize.indexOf(fn), 1);
    },
  };
  return {
    screen,
    async rows(): Promise<string[]> {
      await pending;
      const b = term.buffer.active;
      return Array.from({ length: term.rows }, (_, i) => b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
    },
    async scrollback(): Promise<string[]> {
      await pending;
      const b = term.buffer.active;
      return Array.from({ length: b.baseY }, (_, i) => b.getLine(i)?.translateToString(true) ?? '');
    },
    resize(r: number, c: number) {
      term.resize(c, r);
      for (const fn of [...resize]) fn();
    },
  };
}

const identity = (t: string) => t;
const HEADER = [
  { label: 'app', text: 'http://127.0.0.1:8000 (starting…)' },
  { label: 'stop', text: 'Ctrl-C stops the stack' },
];

describe('liveView in a terminal emulator', () => {
  it('keeps the header in the top rows while many lines scroll below it, and keeps what was on screen in the scrollback', async () => {
    const t = terminal(12, 60);
    t.screen.write('build output\n');
    const live = liveView(t.screen, identity, 'task docker-dev · shop', HEADER);
    for (let i = 1; i <= 50; i++) live.line(`log line ${i}`);
    const rows = await t.rows();
    expect(rows[0]).toMatch(/^── task docker-dev · shop ─+$/);
    expect(rows.slice(1, 3)).toEqual(['  app   http://127.0.0.1:8000 (starting…)', '  stop  Ctrl-C stops the stack']);
    expect(rows[3]).toMatch(/^─+$/);
    // The last lines fill the rows below the header, newest at the bottom (one empty row for the next line).
    expect(rows.slice(4)).toEqual([...Array.from({ length: 7 }, (_, i) => `log line ${44 + i}`), '']);
    expect(await t.scrollback()).toContain('build output');
  });

  it('redraws a changed row in place without touching the lines below', async () => {
    const t = terminal(12, 60);
    const live = liveView(t.screen, identity, 'dev', HEADER);
    live.line('first');
    live.header([{ label: 'app', text: 'http://127.0.0.1:8000 (up)' }]);
    live.line('second');
    const rows = await t.rows();
    expect(rows[1]).toBe('  app   http://127.0.0.1:8000 (up)');
    expect(rows.slice(4, 6)).toEqual(['first', 'second']);
  });

  it('cuts header rows to the width, so they never wrap into the lines', async () => {
    const t = terminal(12, 30);
    const live = liveView(t.screen, identity, 'dev', [{ label: 'app', text: 'x'.repeat(80) }]);
    live.line('below');
    const rows = await t.rows();
    expect(rows[1]).toMatch(/^ {2}app {2}x+…$/);
    expect(rows[1]?.length).toBeLessThan(30);
    expect(rows[3]).toBe('below');
  });

  it('gives the whole screen back on close: later lines scroll the header away', async () => {
    const t = terminal(10, 40);
    const live = liveView(t.screen, identity, 'dev', HEADER);
    live.line('inside');
    live.close();
    for (let i = 0; i < 12; i++) t.screen.write(`after ${i}\n`);
    const rows = await t.rows();
    expect(rows.join('\n')).not.toContain('Ctrl-C stops the stack');
    expect(rows.at(-2)).toBe('after 11');
  });

  it('follows a resize: the header is drawn again at the new width', async () => {
    const t = terminal(12, 60);
    const live = liveView(t.screen, identity, 'dev', HEADER);
    live.line('before resize');
    t.resize(16, 50);
    live.line('after resize');
    const rows = await t.rows();
    expect(rows[1]).toBe('  app   http://127.0.0.1:8000 (starting…)');
    expect(rows[3]).toMatch(/^─{49}$/);
    expect(rows[4]).toBe('after resize');
  });

  it('a terminal too small for a header prints it once, then plain lines', async () => {
    const t = terminal(6, 60);
    const live = liveView(t.screen, identity, 'dev', HEADER);
    live.header([{ label: 'app', text: 'up' }]);
    live.line('a line');
    const text = (await t.rows()).join('\n');
    expect(text).toContain('app: up');
    expect(text).toContain('a line');
  });

  it('masks secrets and escapes control characters in rows and lines', async () => {
    const t = terminal(12, 60);
    const live = liveView(t.screen, (s) => s.replaceAll('s3cret', '***'), 'dev', [{ label: 'key', text: 's3cret' }]);
    live.line('token s3cret \u001b]0;title\u0007');
    const rows = await t.rows();
    expect(rows[1]).toBe('  key  ***');
    expect(rows[3]).toBe('token *** \\x1b]0;title\\x07');
  });
});
