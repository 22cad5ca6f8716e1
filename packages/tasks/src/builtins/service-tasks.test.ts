/**
 * The tasks that take a service name (logs, shell, restart) and docker-run's wait on the services tasks.config.ts
 * names: their plans (no engine: fake facts) and their golden dry-runs (`UPDATE_GOLDEN=1` rewrites the files).
 */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RepoConfig } from '../config/schema.ts';
import { ExitCode, TaskError } from '../errors.ts';
import type { Task } from '../model/task.ts';
import { golden, normalizePlan } from '../run/golden.ts';
import { planOf } from '../run/plan-of.ts';
import { serviceEndpoints } from '../workflow/service-health.ts';
import { backup } from './backup.ts';
import { dockerRun } from './docker-run.ts';
import { logs } from './logs.ts';
import { restart } from './restart.ts';
import { shell } from './shell.ts';

const KEY = 'service-admin-key-0123456789abcdef';
const SERVICES: RepoConfig['services'] = {
  ollama: { port: 11434, health: '/api/tags' },
  chroma: { health: 'http://127.0.0.1:8001/api/v1/heartbeat' },
  // Named for completion and checks, with no endpoint to wait on.
  worker: {},
};

function project(files: Record<string, string> = {}): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'golden-'))), 'shop');
  mkdirSync(dir);
  for (const [f, text] of Object.entries({ '.env': `ADMIN_REINGEST_KEY=${KEY}\nAPP_PORT=8123\n`, ...files })) writeFileSync(path.join(dir, f), text);
  return dir;
}

async function dry(task: Task, options: Record<string, unknown>, config: RepoConfig = {}, files?: Record<string, string>) {
  const dir = project(files);
  const r = await planOf(task, options, { cwd: dir, config, tasks: [backup] });
  const argv = r.unit.steps.flatMap((step) => (step.kind === 'cmd' ? [step.argv.map(String)] : []));
  const titles = r.rows.flatMap((row) => (row.kind === 'action' ? [row.title] : []));
  return { text: normalizePlan(`${r.lines.join('\n')}\n`, dir), argv, titles };
}

const CASES: { name: string; task: Task; options: Record<string, unknown>; config?: RepoConfig }[] = [
  { name: 'logs', task: logs, options: {} },
  { name: 'logs.app-follow', task: logs, options: { service: 'app', follow: true, tail: 20 } },
  { name: 'restart.ollama', task: restart, options: { service: 'ollama' } },
  { name: 'shell.app-user', task: shell, options: { service: 'app', command: 'ls -la /app', user: 'root' } },
  { name: 'docker-run.services', task: dockerRun, options: {}, config: { services: SERVICES } },
];

describe('golden dry-runs of the service tasks (fake facts, no engine)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const { text } = await dry(c.task, c.options, c.config);
    expect(text).toBe(golden(path.join(import.meta.dirname, '__golden__', `${name}.txt`), text));
    expect(text).not.toContain(KEY);
  });
});

describe('tasks that take a service name', () => {
  it('name the service last, after the compose files of every stack (full and development)', async () => {
    const logsArgv = (await dry(logs, { service: 'ollama' })).argv.at(-1) ?? [];
    expect(logsArgv.slice(-5)).toEqual(['logs', '--no-color', '--tail', '100', 'ollama']);
    expect(logsArgv.filter((a) => /docker-compose\.(full|dev)\.yml$/.test(a))).toHaveLength(2);
    const restartArgv = (await dry(restart, { service: 'app', timeout: 3 })).argv;
    expect(restartArgv.at(-2)?.slice(-4)).toEqual(['restart', '--timeout', '3', 'app']);
    expect(restartArgv.at(-1)?.slice(-2)).toEqual(['ps', 'app']);
    expect((await dry(shell, { service: 'app', command: 'whoami' })).argv.at(-1)?.slice(-6)).toEqual(['exec', '-T', 'app', 'sh', '-c', 'whoami']);
  });

  it('an unknown service is a usage error with the services there are and the closest one', async () => {
    const error = await dry(restart, { service: 'olama' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    expect((error as TaskError).exitCode).toBe(ExitCode.usage);
    expect((error as TaskError).message).toMatch(
      /unknown service "olama": the stack \(.*docker-compose\.full\.yml, .*docker-compose\.dev\.yml\) has app, ollama\. Did you mean ollama\?/,
    );
  });

  it('knows the services tasks.config.ts names and those of the repo’s own compose files', async () => {
    const own = { 'docker-compose.full.yml': 'services:\n  api:\n    image: x\n  db:\n    image: postgres\n' };
    await expect(dry(logs, { service: 'worker' }, { services: SERVICES }, own)).resolves.toBeDefined();
    await expect(dry(logs, { service: 'db' }, {}, own)).resolves.toBeDefined();
    await expect(dry(logs, { service: 'ollama' }, { composeFiles: { dev: ['docker-compose.full.yml'] } }, own)).rejects.toThrow(/has api, db\./);
  });
});

describe('docker-run and the services of tasks.config.ts', () => {
  it('waits on each service with a health endpoint after the app, and adds no step without one', async () => {
    expect(serviceEndpoints({ services: SERVICES })).toEqual([
      { service: 'chroma', url: 'http://127.0.0.1:8001/api/v1/heartbeat' },
      { service: 'ollama', url: 'http://127.0.0.1:11434/api/tags' },
    ]);
    const withServices = (await dry(dockerRun, {}, { services: SERVICES })).titles;
    // After the app is ready; the stand-in warning stays the last line a person reads.
    expect(withServices.slice(-3)).toEqual(['wait until ready', 'wait for the services', 'warn when the stack uses stand-ins']);
    expect((await dry(dockerRun, {})).titles).not.toContain('wait for the services');
  });
});
