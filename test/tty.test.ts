import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, tempRepo } from './helpers/cli.ts';

const TASKS = `import { defineTask, cmd } from '@promtior/tasks';
import { z } from 'zod';
export const greet = defineTask({ name: 'greet', description: 'hello', options: z.object({}), run: (_o, c) => [cmd(['sh', '-c', 'echo hello from the pty'], { cwd: c.cwd })] });
`;

/** Runs the CLI under a pseudo-terminal (util-linux `script`), with the given terminal width. */
function inPty(cols: number, args: string): { code: number | null; out: string } {
  const dir = tempRepo({ 'tasks/greet.ts': TASKS });
  const env = cliEnv();
  delete env.CI;
  const r = spawnSync('script', ['-qec', `stty cols ${cols} rows 40; ${process.execPath} ${BIN} -- ${args}`, '/dev/null'], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes is the point
  return { code: r.status, out: r.stdout.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '') };
}

describe('terminal output (listr2)', () => {
  it('renders the task list in a terminal and ends with the summary', () => {
    const { code, out } = inPty(100, 'greet');
    expect(code).toBe(0);
    expect(out).toMatch(/✔ greet \(\d+ ms\)/);
    expect(out).toContain('Summary:');
    expect(out).not.toContain('▶ greet'); // the plain renderer's marker: this was the tty one
  });

  it('falls back to plain lines in a terminal without a width (no one-character-per-line output)', () => {
    const { code, out } = inPty(0, 'greet');
    expect(code).toBe(0);
    expect(out).toContain('hello from the pty');
    expect(out.split('\n').filter((l) => l.trim().length === 1).length).toBeLessThan(3);
  });
});
