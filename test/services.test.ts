/** Services (issue 16): names from the compose files and tasks.config.ts, checked and completed, through the real CLI. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { age, cacheHome } from './helpers/cache.ts';
import { GOOD_KEY, runCli, tempRepo } from './helpers/cli.ts';

const CONFIG = "export default { services: { chroma: { health: 'http://127.0.0.1:8001/api/v1/heartbeat' } } };\n";

describe('tasks that take a service name', () => {
  it('complete the stack’s services: the compose files’ (the assets’ here) and the config’s', () => {
    const dir = tempRepo({ 'tasks.config.ts': CONFIG, '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n` });
    const { env } = cacheHome();
    const words = (...w: string[]) =>
      runCli(['__complete', '--', ...w], { cwd: dir, env })
        .stdout.split('\n')
        .filter(Boolean);
    expect(words('logs', '')).toEqual(['app', 'chroma', 'ollama']);
    expect(words('restart', 'o')).toEqual(['ollama']);
    expect(words('shell', '--service', '')).toEqual(['app', 'chroma', 'ollama']);
    // The same answer from the cached manifest (the fast path), once the files have settled.
    age(dir, 60);
    runCli(['--list'], { cwd: dir, env });
    expect(words('logs', 'c')).toEqual(['chroma']);
    // A service added to the repo's own compose file is offered on the next TAB: the file stamps the list.
    writeFileSync(path.join(dir, 'docker-compose.full.yml'), 'services:\n  app:\n    image: a\n  worker:\n    image: w\n');
    // (ollama stays: the assets' development override, still in use, names it.)
    expect(words('logs', '')).toEqual(['app', 'chroma', 'ollama', 'worker']);
  });

  it('an unknown service stops before anything runs, with the closest name (exit 2)', () => {
    const dir = tempRepo({ '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n` });
    const r = runCli(['restart', 'olama', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown service "olama": the stack \(.*\) has app, ollama\. Did you mean ollama\?/);
    const ok = runCli(['logs', 'ollama', '--follow', '--dry-run'], { cwd: dir });
    expect(ok.code, ok.all).toBe(0);
    expect(ok.stdout).toMatch(/ logs --no-color --tail 100 --follow ollama\n/);
  });
});
