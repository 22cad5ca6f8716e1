/**
 * Services on the real engine (issue 16): docker-run waits on each health endpoint tasks.config.ts names, and the
 * tasks that take a service name (logs, shell, restart) act on the running stack.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, removeProject } from '../helpers/project.ts';

const config = (services: string) => `export default { services: { ${services} } };\n`;

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

  it('a service that never answers stops docker-run with its name, its URL and where to look', () => {
    writeFileSync(path.join(p.dir, 'tasks.config.ts'), config("ghost: { health: 'http://127.0.0.1:9/never' }"));
    const r = runCli(['docker-run', '--no-build', '--tag', p.tag, '--timeout', '3'], { cwd: p.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ghost did not answer http:\/\/127\.0\.0\.1:9\/never within 3 s .*Fix: check the service's logs \(task logs ghost\)/);
  });
});
