import { cpSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readYaml } from '@promtior/audit/yaml';
import { assetPath } from '@promtior/docker-assets';
import { describe, expect, it } from 'vitest';
import { readOldSetup } from '../carry/old-setup.ts';
import { repoDir } from '../carry/test-repo.ts';
import { envReference, renderCompose, renderDevCompose } from './compose.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../../../../test/fixtures/team-repos');
const template = readFileSync(assetPath('docker-compose.full.yml'), 'utf8');
const devTemplate = readFileSync(assetPath('docker-compose.dev.yml'), 'utf8');

function rendered(dir: string, project = path.basename(dir)) {
  const setup = readOldSetup(dir, project);
  const text = renderCompose(setup, template, { dockerfile: 'Dockerfile', image: `${project}:latest` });
  const read = readYaml(text, 'docker-compose.yml');
  expect(read.problems).toEqual([]);
  const dev = readYaml(renderDevCompose(setup, devTemplate), 'docker-compose.dev.yml');
  expect(dev.problems).toEqual([]);
  return {
    text,
    data: read.data as { services: Record<string, Record<string, unknown>>; volumes: Record<string, unknown> },
    dev: dev.data as { services: Record<string, unknown> },
  };
}

function corpus(shape: string): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'render-'))), shape);
  cpSync(path.join(CORPUS, shape), dir, { recursive: true });
  return dir;
}

describe('the compose files migrate writes', () => {
  it("keep the template's app (under the team's service name) and the team's other services, volumes and settings", () => {
    const { data, dev } = rendered(corpus('db-volume'));
    expect(Object.keys(data.services)).toEqual(['web', 'db']);
    const web = data.services.web as Record<string, unknown>;
    expect(web.read_only).toBe(true);
    expect(web.cap_drop).toEqual(['ALL']);
    expect(web.ports).toEqual(['${APP_HOST_PORT:-5000}:${APP_PORT:-5000}']);
    expect(web.environment).toMatchObject({ DB_URL: '${DB_URL:-http://db:6000}', APP_PORT: '${APP_PORT:-5000}' });
    expect(web.environment).not.toHaveProperty('ADMIN_REINGEST_KEY');
    expect(web.environment).not.toHaveProperty('ADMIN_REINGEST_KEY_FILE');
    expect(web.secrets).toBeUndefined();
    expect(data).not.toHaveProperty('secrets');
    expect(web.depends_on).toEqual(['db']);
    expect(data.services.db).toEqual({ image: 'promtior-fixture/kv:1', volumes: ['dbdata:/data'], networks: ['promtior'] });
    expect(Object.keys(data.volumes)).toEqual(['app-data', 'dbdata']);
    expect(Object.keys(dev.services)).toEqual(['web']);
  });

  it('run a worker built from the same Dockerfile on the app image', () => {
    const { data } = rendered(corpus('worker'));
    expect(data.services.worker).toMatchObject({ image: '${APP_IMAGE:-worker:latest}', command: 'python -m jobs.worker' });
  });

  it('pin a volume name that came from another project name, and keep a plain docker volume exactly', () => {
    const pinned = rendered(
      repoDir(
        {
          Dockerfile: 'FROM python:3.12-slim\n',
          'docker-compose.yml': 'name: oldname\nservices:\n  web:\n    build: .\n    volumes: [files:/files]\nvolumes:\n  files:\n',
        },
        'newname',
      ),
    );
    expect(pinned.data.volumes.files).toEqual({ name: 'oldname_files' });
    expect(rendered(corpus('src-editable')).data.volumes['shop-uploads']).toEqual({ name: 'shop-uploads' });
  });

  it("keep Ollama (the template's) only for the assistant, on its old volume", () => {
    const { data } = rendered(
      repoDir({
        Dockerfile: 'FROM python:3.12-slim\nCMD ["python3", "-m", "app.main"]\n',
        'docker-compose.yml': 'services:\n  ollama:\n    image: ollama/ollama\n    volumes: [ollama:/root/.ollama]\nvolumes:\n  ollama:\n',
        '.env': 'ADMIN_REINGEST_KEY=0123456789abcdef0123\n',
      }),
    );
    expect(Object.keys(data.services)).toEqual(['app', 'ollama']);
    expect(data.services.ollama?.volumes).toEqual(['ollama:/root/.ollama']);
    expect(data.services.app?.environment).toHaveProperty('ADMIN_REINGEST_KEY_FILE', '/run/secrets/admin_reingest_key');
    expect(Object.keys(data.volumes)).toEqual(['app-data', 'ollama']);
  });

  it('reference secrets so that compose stops without them, and write $ as $$', () => {
    expect(envReference({ key: 'TOKEN', secret: true, required: true, description: '', toApp: true })).toBe('${TOKEN:?TOKEN is not set; add it to .env}');
    expect(envReference({ key: 'PRICE', value: 'costs $5', secret: false, required: false, description: '', toApp: true })).toBe('${PRICE:-costs $$5}');
    expect(envReference({ key: 'JSON', value: '{"a":1}', secret: false, required: false, description: '', toApp: true })).toBe('{"a":1}');
  });
});
