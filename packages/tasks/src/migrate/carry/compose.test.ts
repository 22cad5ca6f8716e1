import { describe, expect, it } from 'vitest';
import { appServiceOf, carryCompose } from './compose.ts';
import { parsePort } from './compose-app.ts';
import { repoOf } from './test-repo.ts';
import { newCarry } from './types.ts';

function carry(compose: string) {
  const c = newCarry();
  const found = carryCompose(repoOf({ 'docker-compose.yml': compose, Dockerfile: 'FROM python:3.12-slim\n' }), 'Dockerfile', c, '/code', {});
  return { c, found };
}

describe('carrying a compose file', () => {
  it('finds the app: the service built from the Dockerfile that publishes a port', () => {
    expect(appServiceOf({ worker: { build: '.' }, web: { build: { context: '.' }, ports: ['80:80'] }, db: { image: 'x' } }, 'Dockerfile')).toBe('web');
    expect(appServiceOf({ api: { build: { context: './', dockerfile: 'Dockerfile' } } }, 'Dockerfile')).toBe('api');
    expect(appServiceOf({ other: { build: { context: '.', dockerfile: 'Dockerfile.admin' } } }, 'Dockerfile')).toBeUndefined();
  });

  it('reads published ports in every compose form', () => {
    expect(parsePort('5000:5000')).toEqual({ host: '5000', container: '5000' });
    expect(parsePort('127.0.0.1:8081:8080')).toEqual({ host: '8081', container: '8080' });
    expect(parsePort('8080')).toEqual({ host: undefined, container: '8080' });
    expect(parsePort('${WEB_PORT:-8090}:8090')).toEqual({ host: '8090', container: '8090' });
    expect(parsePort({ target: 80, published: 8080 })).toEqual({ host: '8080', container: '80' });
    expect(parsePort('1000-1010:1000-1010')).toBeUndefined();
  });

  it('carries the app key by key, keeps other services and their volumes, and says what it cannot carry', () => {
    const { c, found } = carry(
      [
        'version: "3.8"',
        'services:',
        '  web:',
        '    build: .',
        '    image: shop/web:2',
        '    ports: ["8080:5000", "9100:9100"]',
        '    environment:',
        '      - API_KEY=sk-abcdefghijklmnopqrstuvwxyz',
        '      - MODE=fast',
        '      - DB_URL=postgres://app@db/${DB_NAME:-shop}',
        '    env_file: .env',
        '    volumes: [".:/code", "uploads:/code/uploads", "./conf.yml:/etc/conf.yml:ro"]',
        '    depends_on: [db]',
        '    healthcheck:',
        '      test: ["CMD", "curl", "-f", "http://localhost:5000/ping"]',
        '      start_period: 40s',
        '    weird_key: 1',
        '  worker:',
        '    build: .',
        '    command: python worker.py',
        '  db:',
        '    image: postgres:16',
        '    volumes: [pgdata:/var/lib/postgresql/data]',
        '  admin:',
        '    build: ./admin',
        'volumes:',
        '  pgdata:',
        '  uploads:',
        '',
      ].join('\n'),
    );
    expect(c.appService).toBe('web');
    expect(c.image).toBe('shop/web:2');
    expect(found.port).toMatchObject({ host: '8080', container: '5000' });
    expect(found.health).toMatchObject({ path: '/ping', startPeriod: '40s' });
    expect(c.app).toMatchObject({
      ports: ['9100:9100'],
      env_file: '.env',
      depends_on: ['db'],
      volumes: ['uploads:/app/uploads', './conf.yml:/etc/conf.yml:ro'],
    });
    expect(c.secrets.map((s) => s.key)).toEqual(['API_KEY']);
    expect(c.vars.get('MODE')).toMatchObject({ value: 'fast', toApp: true });
    expect(c.vars.get('DB_NAME')).toMatchObject({ toApp: false });
    expect(c.app.environment).toEqual({ DB_URL: 'postgres://app@db/${DB_NAME:-shop}' });
    expect(c.services.worker).toEqual({ image: '${APP_IMAGE}', command: 'python worker.py' });
    expect(c.services.db).toEqual({ image: 'postgres:16', volumes: ['pgdata:/var/lib/postgresql/data'] });
    expect(c.services.admin).toBeUndefined();
    expect(Object.keys(c.top.volumes)).toEqual(['pgdata', 'uploads']);
    const verdicts = c.mapping.map((m) => `${m.from.line} ${m.verdict}`);
    expect(verdicts).toContain('1 not carried');
    expect(verdicts).toContain('12 not carried');
    expect(verdicts).toContain('17 needs you');
    expect(verdicts).toContain('24 needs you');
    expect(JSON.stringify(c.mapping)).not.toContain('sk-abcdefghijklmnopqrstuvwxyz');
  });

  it("keeps the assistant Ollama service as the template's, with the old volume names", () => {
    const { c } = carry(
      'services:\n  ollama:\n    image: ollama/ollama:latest\n    ports: ["11434:11434"]\n    volumes: [models:/root/.ollama]\nvolumes:\n  models:\n',
    );
    expect(c.ollama).toEqual({ volumes: ['models'], ports: ['11434:11434'] });
    expect(c.services).toEqual({});
  });

  it('a file that cannot be read needs you, with its line', () => {
    const { c } = carry('services:\n  web:\n    build: .\n   ports: [1\n');
    expect(c.mapping.filter((m) => m.verdict === 'needs you').map((m) => m.from.line)[0]).toBeGreaterThanOrEqual(3);
  });
});
