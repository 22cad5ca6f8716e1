import { describe, expect, it } from 'vitest';
import { age, cacheHome } from './helpers/cache.ts';
import { GOOD_KEY, runCliAsync, tempRepo } from './helpers/cli.ts';

const CONFIG = `import { defineConfig } from '@promtior/tasks';

export default defineConfig({
  project: 'svc',
  image: 'team/assistant:2.0',
  healthPath: '/healthz',
  env: {
    CHROMA_DIR: { description: 'Where ChromaDB keeps its files', required: true, pattern: '^/' },
  },
  disable: ['docker-offline-images'],
});
`;

// In both: each case has its own temp repos, side by side, so their CLI starts overlap.
describe.concurrent('tasks.config.ts', () => {
  it('sets the project folder, the image, the health path, extra variables and turned-off tasks', async () => {
    const dir = tempRepo({ 'tasks.config.ts': CONFIG, 'svc/.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\nCHROMA_DIR=data/chroma\n` });
    const list = await runCliAsync(['--list'], { cwd: dir });
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain('docker-offline-images');
    const off = await runCliAsync(['docker-offline-images'], { cwd: dir });
    expect(off.code).toBe(2);
    expect(off.stderr).toContain('task docker-offline-images is turned off in this repo (tasks.config.ts: disable)');
    const env = await runCliAsync(['env-check'], { cwd: dir });
    expect(env.code).toBe(1);
    expect(env.stderr).toContain('.env:2: CHROMA_DIR is "data/chroma", expected a value matching the pattern ^/');
    const dry = await runCliAsync(['docker-run', '--dry-run'], { cwd: dir });
    expect(dry.code, dry.all).toBe(0);
    expect(dry.stdout).toContain('--tag team/assistant:2.0');
    expect(dry.stdout).toMatch(/poll http:\/\/127\.0\.0\.1:8000\/ready every [\d.]+ s \(http:\/\/127\.0\.0\.1:8000\/healthz if the app answers 404\)/);
    expect(dry.stdout).toMatch(/-p svc --project-directory \S+\/svc /);
  });

  it('turned-off tasks stay valid names when the task list comes from the cache', async () => {
    const { env } = cacheHome();
    const dir = tempRepo({ 'tasks.config.ts': CONFIG, 'svc/.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\nCHROMA_DIR=/data/chroma\n` });
    age(dir, 10);
    expect((await runCliAsync(['--list'], { cwd: dir, env })).code).toBe(0);
    const dry = await runCliAsync(['docker-run', '--dry-run'], { cwd: dir, env });
    expect(dry.stderr).not.toContain('is not a built-in task');
    expect(dry.code, dry.all).toBe(0);
  });

  it('an empty config means the defaults', async () => {
    const dir = tempRepo({
      'tasks.config.ts': "import { defineConfig } from '@promtior/tasks';\nexport default defineConfig({});\n",
      '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n`,
    });
    expect((await runCliAsync(['docker-build', '--dry-run'], { cwd: dir })).stdout).toContain('--tag promtior-assistant:latest');
  });

  it('unknown keys and wrong types fail with the key path and file:line', async () => {
    const dir = tempRepo({
      'tasks.config.ts': `export default {\n  image: 'a:1',\n  healthpath: '/h',\n  composeFiles: {\n    full: 'docker-compose.yml',\n  },\n};\n`,
    });
    const r = await runCliAsync(['docker-build', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tasks.config.ts:3: healthpath: unknown key');
    expect(r.stderr).toMatch(/tasks\.config\.ts:5: composeFiles\.full: .*expected array/i);
  });

  it('a config that does not load is named with file:line:col', async () => {
    const r = await runCliAsync(['docker-build', '--dry-run'], { cwd: tempRepo({ 'tasks.config.ts': 'export default {\n  image: ,\n};\n' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot load \S+tasks\.config\.ts: tasks\.config\.ts:2:10: .*Fix the file/);
    const js = await runCliAsync(['docker-build', '--dry-run'], { cwd: tempRepo({ 'tasks.config.mjs': 'export default {\n  image: ,\n};\n' }) });
    expect(js.stderr).toMatch(/tasks\.config\.mjs:2:10: Unexpected token/);
  });
});

/** Issue 9, item 14: a config that cannot mean what it says is an error, and a broken one blocks only what needs it. */
describe.concurrent('tasks.config.ts mistakes', () => {
  const fails = async (config: string, file = 'tasks.config.ts') => {
    const r = await runCliAsync(['env-check'], { cwd: tempRepo({ [file]: config, '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n` }) });
    expect(r.code).toBe(1);
    return r.stderr;
  };

  // The CLI's share of each kind of mistake: the message loadConfig gives reaches stderr and the run exits 1. The
  // variants of each message (no default export, a string, a thrown non-Error, bad env rules) are checked where it is
  // made: packages/tasks/src/config/load.test.ts.
  it('a default export that is not an object', async () => {
    expect(await fails('const a = 1;\nexport default null;\n')).toContain('tasks.config.ts:2: the default export is null, not an object');
  });

  it('a task in `disable` that does not exist, with the closest built-in', async () => {
    const err = await fails("export default {\n  image: 'a:1',\n  disable: [\n    'docker-biuld',\n  ],\n};\n");
    expect(err).toContain('tasks.config.ts:4: disable: "docker-biuld" is not a built-in task. Did you mean docker-build?');
  });

  it('a broken config blocks neither --list, --help nor tasks that do not read it', async () => {
    const dir = tempRepo({ 'tasks.config.ts': 'export default {\n  image: ,\n};\n' });
    const list = await runCliAsync(['--list'], { cwd: dir });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/docker-build /);
    expect(list.stderr).toMatch(/warning: cannot load \S+tasks\.config\.ts: tasks\.config\.ts:2:10: .*Tasks that read the config fail until it is fixed/);
    expect((await runCliAsync(['--help'], { cwd: dir })).code).toBe(0);
    expect(await runCliAsync(['completion', 'bash'], { cwd: dir })).toMatchObject({ code: 0, stdout: expect.stringContaining('_promtior_task') });
    const build = await runCliAsync(['docker-build', '--dry-run'], { cwd: dir });
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/error: cannot load \S+tasks\.config\.ts: tasks\.config\.ts:2:10/);
  });
});
