import { spawnSync } from 'node:child_process';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, tempRepo } from './helpers/cli.ts';

const TASKS = `import { action, defineTask, cmd } from '@promtior/tasks';
import { z } from 'zod';
export const greet = defineTask({ name: 'greet', description: 'hello', options: z.object({}), run: (_o, c) => [cmd(['sh', '-c', 'echo hello from the pty'], { cwd: c.cwd })] });
export const both = defineTask({ name: 'both', description: 'env-check, then a command', options: z.object({}), deps: ['env-check'], run: (_o, c) => [cmd(['sh', '-c', 'echo hello from the pty'], { cwd: c.cwd })] });
export const many = defineTask({ name: 'many', description: 'says 30 lines', options: z.object({}), run: () => [action('say', ['say 30 lines'], (rt) => { for (let i = 1; i <= 30; i++) rt.log('said line ' + i); })] });
export const slow = defineTask({ name: 'slow', description: 'sleeps', options: z.object({}), run: (_o, c) => [cmd(['sleep', '2'], { cwd: c.cwd })] });
export const combo = defineTask({ name: 'combo', description: 'many beside slow', options: z.object({}), deps: ['many', 'slow'], run: (_o, c) => [cmd(['true'], { cwd: c.cwd })] });
`;

/** Runs the CLI under a pseudo-terminal (util-linux `script`), with the given terminal width. */
function inPty(cols: number, args: string, rows = 40): { code: number | null; out: string; raw: string } {
  const dir = tempRepo({ 'tasks/greet.ts': TASKS, '.env': 'ADMIN_REINGEST_KEY=tty-test-admin-key-0123456789\n' });
  const env = cliEnv();
  delete env.CI;
  const r = spawnSync('script', ['-qec', `stty cols ${cols} rows ${rows}; ${process.execPath} ${BIN} -- ${args}`, '/dev/null'], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes is the point
  return { code: r.status, out: r.stdout.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''), raw: r.stdout };
}

/**
 * What a person sees once the run is over: the bytes rendered by a terminal emulator (xterm.js, headless), scrollback
 * and screen, blank rows dropped. The raw bytes also hold every frame listr2 drew and erased.
 */
async function finalScreen(raw: string, cols: number, rows = 40): Promise<string[]> {
  const term = new xterm.Terminal({ rows, cols, allowProposedApi: true, scrollback: 1000 });
  await new Promise<void>((r) => term.write(raw, r));
  const b = term.buffer.active;
  return Array.from({ length: b.length }, (_, i) => b.getLine(i)?.translateToString(true) ?? '').filter((l) => l.trim() !== '');
}

describe('terminal output (listr2)', () => {
  it('renders the task list in a terminal and ends with the summary', () => {
    const { code, out } = inPty(100, 'greet');
    expect(code).toBe(0);
    expect(out).toMatch(/✔ greet \(\d+ ms\)/);
    expect(out).toContain('Summary:');
    expect(out).not.toContain('▶ greet'); // the plain renderer's marker: this was the tty one
  });

  it("keeps what a task says under its row (a task alone, and each row of a run of several); its commands' output only passes through", async () => {
    const alone = inPty(100, 'env-check');
    expect(alone.code, alone.out).toBe(0);
    const aloneRows = await finalScreen(alone.raw, 100);
    const row = aloneRows.findIndex((l) => /^✔ env-check \(\d+ ms\)$/.test(l));
    expect(row, aloneRows.join('\n')).toBeGreaterThanOrEqual(0);
    expect(aloneRows[row + 1]).toMatch(/^ {2}› \d+ variables valid \(read \.env\)$/);
    expect(aloneRows[row + 2]).toBe('Summary:');

    const several = inPty(100, 'both');
    expect(several.code, several.out).toBe(0);
    // The command's line was drawn in the bar while it ran (the raw bytes hold it), and is gone from the end screen.
    expect(several.raw).toContain('hello from the pty');
    const rows = await finalScreen(several.raw, 100);
    const check = rows.findIndex((l) => /^✔ env-check \(\d+ ms\)$/.test(l));
    expect(check, rows.join('\n')).toBeGreaterThanOrEqual(0);
    expect(rows[check + 1]).toMatch(/^ {2}› \d+ variables valid \(read \.env\)$/);
    expect(rows.join('\n')).not.toContain('hello from the pty');

    // --verbose keeps everything: the command's output too.
    const verbose = inPty(100, '--verbose greet');
    expect(verbose.code, verbose.out).toBe(0);
    expect((await finalScreen(verbose.raw, 100)).join('\n')).toContain('hello from the pty');
  });

  it('a row of a run of several keeps only what fits under it while the others run, and the rest once the list is done', async () => {
    const r = inPty(100, 'combo', 24);
    expect(r.code, r.out).toBe(0);
    const rows = await finalScreen(r.raw, 100, 24);
    const row = rows.findIndex((l) => /^✔ many \(\d+ ms\)$/.test(l));
    expect(row, rows.join('\n')).toBeGreaterThanOrEqual(0);
    // 24 rows, 3 tasks: a row each, 6 for a running row's bar, and a third of the other 15 under each finished row;
    // the last of its 5 says what is left.
    expect(rows.slice(row + 1, row + 6)).toEqual([
      '  › said line 1',
      ...[2, 3, 4].map((i) => `    said line ${i}`),
      '    … 26 more lines, printed below once the list is done',
    ]);
    expect(rows[row + 6]).not.toMatch(/said line/);
    // The rest, once: every line is on the screen exactly once.
    const rest = rows.indexOf('many, the rest of what it said:');
    expect(rest, rows.join('\n')).toBeGreaterThan(row);
    expect(rows.slice(rest + 1, rest + 27)).toEqual(Array.from({ length: 26 }, (_, i) => `  said line ${i + 5}`));
    expect(rows[rest + 27]).toBe('Summary:');
    for (let i = 1; i <= 30; i++)
      expect(
        rows.filter((l) => l.endsWith(` said line ${i}`)),
        `said line ${i}`,
      ).toHaveLength(1);
    // The lines past the cap are not drawn again at every tick of slow's spinner: once in the bar, once below.
    expect(r.raw.split('said line 30').length - 1, r.out).toBeLessThanOrEqual(3);
  });

  it('falls back to plain lines in a terminal without a width (no one-character-per-line output)', () => {
    const { code, out } = inPty(0, 'greet');
    expect(code).toBe(0);
    expect(out).toContain('hello from the pty');
    expect(out.split('\n').filter((l) => l.trim().length === 1).length).toBeLessThan(3);
  });
});
