/**
 * Services on the real engine (issue 16): docker-run waits on each health endpoint tasks.config.ts names, and the
 * tasks that take a service name (logs, shell, restart) act on the running stack.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, runCli } from '../helpers/cli.ts';
import { requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, removeProject } from '../helpers/project.ts';

const config = (services: string) => `export default { services: { ${services} } };\n`;

/**
 * The CLI in a real pseudo-terminal (util-linux `script`), keys typed into it once `ready` shows up in its output;
 * resolves with everything the terminal showed and the exit code.
 */
function inTerminal(args: string[], cwd: string, ready: RegExp, keys: string[]): Promise<{ code: number | null; screen: string }> {
  const vars: NodeJS.ProcessEnv = { ...cliEnv({}), TERM: 'xterm-256color' };
  delete vars.CI;
  const child = spawn('script', ['-qfec', `stty cols 120 rows 30; exec ${process.execPath} ${BIN} -- ${args.join(' ')}`, '/dev/null'], {
    cwd,
    env: vars,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let typed = false;
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.stdout.on('data', (d: Buffer) => {
    screen += d.toString();
    if (!typed && ready.test(screen)) {
      typed = true;
      // One key line at a time, each a moment after the last, as a person types.
      for (const [i, k] of keys.entries()) setTimeout(() => child.stdin.write(k), 300 * (i + 1));
    }
  });
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, screen });
    }),
  );
}

describe('services of tasks.config.ts on a running stack', () => {
  let p: ExampleProject;

  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject();
  });
  afterAll(() => removeProject(p));

  it('docker-run waits, after the app, until each named health endpoint answers', () => {
    writeFileSync(path.join(p.dir, 'tasks.config.ts'), config(`app: { port: ${p.port}, health: '/health' }`));
    const r = runCli(['docker-run', '--tag', p.tag], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`ready: app answered http://127\\.0\\.0\\.1:${p.port}/health after [\\d.]+ s`));
  });

  it('logs, shell and restart act on one service of it', () => {
    const logs = runCli(['logs', 'app', '--tail', '5'], { cwd: p.dir });
    expect(logs.code, logs.all).toBe(0);
    expect(logs.stdout).toMatch(/app_1|app-1/);
    const shell = runCli(['shell', 'app', '--command', 'whoami'], { cwd: p.dir });
    expect(shell.code, shell.all).toBe(0);
    expect(shell.stdout).toContain('appuser');
    const restart = runCli(['restart', 'ollama', '--timeout', '2'], { cwd: p.dir });
    expect(restart.code, restart.all).toBe(0);
    expect(restart.stdout).toMatch(/ollama.*(Up|running)/i);
  });

  it('shell without --command is an interactive sh in the container, given our terminal; without one it says so', async () => {
    const none = runCli(['shell', 'app'], { cwd: p.dir });
    expect(none.code, none.all).toBe(2);
    expect(none.stderr).toMatch(/reads the keyboard, but this run has no terminal.*task shell app --command/s);
    // $((6*7)) is worked out by the container's sh: an echo of our own keys would show the expression, not 42.
    const t = await inTerminal(['shell', 'app'], p.dir, /\$ $/m, ['echo answer-$((6*7)) as $(id -un)\r', 'exit\r']);
    expect(t.screen).toContain('answer-42 as appuser');
    expect(t.code, t.screen).toBe(0);
  });

  it('a service that never answers stops docker-run with its name, its URL and where to look', () => {
    writeFileSync(path.join(p.dir, 'tasks.config.ts'), config("ghost: { health: 'http://127.0.0.1:9/never' }"));
    const r = runCli(['docker-run', '--no-build', '--tag', p.tag, '--timeout', '3'], { cwd: p.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ghost did not answer http:\/\/127\.0\.0\.1:9\/never within 3 s .*Fix: check the service's logs \(task logs ghost\)/);
  });
});
