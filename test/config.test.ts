import { describe, expect, it } from 'vitest';
import { GOOD_KEY, runCli, tempRepo } from './helpers/cli.ts';

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

describe('tasks.config.ts', () => {
  it('sets the project folder, the image, the health path, extra variables and turned-off tasks', () => {
    const dir = tempRepo({ 'tasks.config.ts': CONFIG, 'svc/.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\nCHROMA_DIR=data/chroma\n` });
    const list = runCli(['--list'], { cwd: dir });
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain('docker-offline-images');
    const off = runCli(['docker-offline-images'], { cwd: dir });
    expect(off.code).toBe(2);
    expect(off.stderr).toContain('task docker-offline-images is turned off in this repo (tasks.config.ts: disable)');
    const env = runCli(['env-check'], { cwd: dir });
    expect(env.code).toBe(1);
    expect(env.stderr).toContain('.env:2: CHROMA_DIR is "data/chroma", expected a value matching the pattern ^/');
    const dry = runCli(['docker-run', '--dry-run'], { cwd: dir });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('--tag team/assistant:2.0');
    expect(dry.stdout).toMatch(/poll http:\/\/127\.0\.0\.1:8000\/healthz/);
    expect(dry.stdout).toMatch(/-p svc --project-directory \S+\/svc /);
  });

  it('an empty config means the defaults', () => {
    const dir = tempRepo({
      'tasks.config.ts': "import { defineConfig } from '@promtior/tasks';\nexport default defineConfig({});\n",
      '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n`,
    });
    expect(runCli(['docker-build', '--dry-run'], { cwd: dir }).stdout).toContain('--tag promtior-assistant:latest');
  });

  it('unknown keys and wrong types fail with the key path and file:line', () => {
    const dir = tempRepo({
      'tasks.config.ts': `export default {\n  image: 'a:1',\n  healthpath: '/h',\n  composeFiles: {\n    full: 'docker-compose.yml',\n  },\n};\n`,
    });
    const r = runCli(['--list'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tasks.config.ts:3: healthpath: unknown key');
    expect(r.stderr).toMatch(/tasks\.config\.ts:5: composeFiles\.full: .*expected array/i);
  });

  it('a config that does not load is named', () => {
    const r = runCli(['--list'], { cwd: tempRepo({ 'tasks.config.ts': 'export default {\n' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot load \S+tasks\.config\.ts: .*Fix the file/);
  });
});
