import { describe, expect, it } from 'vitest';
import { auditTree, brief } from '../test-helpers/tree.ts';

const compose = (env: string) => `services:\n  app:\n    image: team/app:1.0\n    environment:\n${env}`;

describe('secrets in compose environment (issue 15, item 3)', () => {
  it('reads the list form with the right line, and does not take references for literals', () => {
    const r = auditTree({
      'docker-compose.yml': compose(
        '      - DB_PASSWORD=${DB_PASSWORD:?set DB_PASSWORD in .env}\n      - API_TOKEN=$API_TOKEN\n      - SECRET_KEY=x7Kq9vL2mN4pR8sT\n      - LOG_LEVEL=info\n',
      ),
    });
    expect(brief(r, 'SM-007')).toEqual(['SM-007 docker-compose.yml:7 [app] service app sets SECRET_KEY to a literal']);
    expect(r.findings.find((f) => f.rule === 'SM-007')?.severity).toBe('critical');
  });

  it('counts _FILE variables and /run/secrets paths for the category, not against it', () => {
    const r = auditTree({
      'docker-compose.yml': compose('      DB_PASSWORD_FILE: /run/secrets/db_password\n      ADMIN_TOKEN: /run/secrets/admin_token\n'),
    });
    expect(brief(r, 'SM-001', 'SM-007', 'SM-009')).toEqual([]);
    expect(r.score.categories['secrets-management']).toBe(10);
  });

  it('does not take a boolean switch named like auth for a secret', () => {
    const r = auditTree({ 'docker-compose.yml': compose('      - DISABLE_AUTH=true\n      - BASIC_AUTH=false\n      - REQUIRE_AUTH=1\n') });
    expect(brief(r, 'SM-007')).toEqual([]);
  });

  it('reports placeholders as low with "replace before use", never as leaks', () => {
    const r = auditTree({ 'docker-compose.yml': compose('      POSTGRES_PASSWORD: example\n      JWT_SECRET: changeme\n') });
    const sm = r.findings.filter((f) => f.rule === 'SM-007');
    expect(sm.map((f) => [f.severity, f.message])).toEqual([
      ['low', 'service app sets POSTGRES_PASSWORD to a placeholder: replace before use'],
      ['low', 'service app sets JWT_SECRET to a placeholder: replace before use'],
    ]);
    expect(r.score.categories['secrets-management']).toBe(8);
  });

  it('flags weak defaults in either form, ${X:-v} and ${X-v}', () => {
    const map = auditTree({ 'docker-compose.yml': compose('      DB_PASSWORD: ${DB_PASSWORD:-password}\n') });
    const list = auditTree({ 'docker-compose.yml': compose('      - REDIS_PASSWORD=${REDIS_PASSWORD-hunter2}\n      - OPENAI_API_KEY=${OPENAI_API_KEY:-}\n') });
    expect(brief(map, 'SM-009')).toEqual(['SM-009 docker-compose.yml:5 [app] service app: DB_PASSWORD defaults to a fixed value when DB_PASSWORD is unset']);
    expect(brief(list, 'SM-009')).toEqual([
      'SM-009 docker-compose.yml:5 [app] service app: REDIS_PASSWORD defaults to a fixed value when REDIS_PASSWORD is unset',
    ]);
  });

  it('names a placeholder ARG default as one, and skips _FILE and /run/secrets in Dockerfiles', () => {
    const r = auditTree({
      Dockerfile:
        'FROM python:3.12-slim\nARG NPM_TOKEN\nENV API_KEY=your-api-key-here\nENV DB_PASSWORD_FILE=/run/secrets/db\nENV AUTH_ENABLED=true\nUSER 1001\n',
    });
    expect(r.findings.filter((f) => f.rule === 'SM-001').map((f) => [f.line, f.severity, f.message])).toEqual([
      [2, 'high', 'ARG NPM_TOKEN'],
      [3, 'low', 'ENV API_KEY has a placeholder default: replace before use'],
    ]);
  });

  it('knows a secret by the words of its name: ..._KEY is one, GPG_KEY and CACHE_KEY are not', async () => {
    const { isSecretName } = await import('./helpers.ts');
    expect(
      ['ADMIN_REINGEST_KEY', 'OPENAI_API_KEY', 'SECRET_KEY_BASE', 'DB_PASSWD', 'npmToken', 'GH_PAT', 'JWT_SECRET'].filter((n) => !isSecretName(n)),
    ).toEqual([]);
    expect(
      ['GPG_KEY', 'CACHE_KEY', 'AWS_ACCESS_KEY_ID', 'DB_PASSWORD_FILE', 'TOKEN_URL', 'NO_AUTH', 'ENABLE_AUTH', 'KEYBOARD'].filter((n) => isSecretName(n)),
    ).toEqual([]);
  });
});
