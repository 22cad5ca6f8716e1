import { describe, expect, it } from 'vitest';
import { auditTree, brief } from './test-helpers/tree.ts';

const ROOT_DF = 'FROM python:3.12-slim\nCMD ["python3"]\n';
const USER_DF = 'FROM python:3.12-slim\nUSER 1001\nHEALTHCHECK CMD ["python3", "-c", "1"]\nCMD ["python3"]\n';

describe('the service model (issue 15, item 1)', () => {
  it('links each service to the Dockerfile its build.context and build.dockerfile name, never by file-name suffix', () => {
    const r = auditTree({
      'docker-compose.yml':
        'services:\n  api:\n    build: { context: ./api, dockerfile: Dockerfile.prod }\n  web:\n    build: ./web\n  worker:\n    build: { context: ., dockerfile: docker/worker.Dockerfile }\n',
      'api/Dockerfile.prod': USER_DF,
      'api/Dockerfile.dev': ROOT_DF,
      'web/Dockerfile': ROOT_DF,
      'docker/worker.Dockerfile': USER_DF,
    });
    expect(r.files).toEqual(expect.arrayContaining(['api/Dockerfile.prod', 'api/Dockerfile.dev', 'web/Dockerfile', 'docker/worker.Dockerfile']));
    // Dockerfile.dev is judged on its own, not as the production service's; web is root, api and worker are not.
    expect(brief(r, 'UP-001')).toEqual([
      "UP-001 api/Dockerfile.dev:1 [api/Dockerfile.dev] no USER in the final stage (stage 0) or the stages it builds on: it runs as the base image's root",
      "UP-001 web/Dockerfile:1 [web] no USER in the stage service web runs (stage 0) or the stages it builds on: it runs as the base image's root",
    ]);
  });

  it("judges the build.target stage, and a service does not inherit another service's HEALTHCHECK", () => {
    const r = auditTree({
      'docker-compose.yml': 'services:\n  app:\n    build: { context: ., target: prod }\n  dev:\n    build: { context: ., target: dev }\n',
      Dockerfile:
        'FROM python:3.12-slim AS prod\nUSER 1001\nHEALTHCHECK CMD ["python3", "-c", "1"]\nCMD ["python3"]\nFROM python:3.12-slim AS dev\nCMD ["python3"]\n',
    });
    expect(brief(r, 'UP-001').map((f) => f.split(' ').slice(0, 3).join(' '))).toEqual(['UP-001 Dockerfile:5 [dev]']);
    expect(brief(r, 'HM-001')).toEqual(['HM-001 docker-compose.yml:4 [dev] service dev has no healthcheck, and its image has none']);
  });

  it('gives a compose file audited alone user verdicts from user: and from the well-known images table, with its source', () => {
    const r = auditTree({
      'docker-compose.yml':
        'services:\n  a:\n    image: python:3.12\n  b:\n    image: python:3.12\n    user: "1001"\n  c:\n    image: ollama/ollama:0.5.7\n  d:\n    image: postgres:16\n  e:\n    image: team/unknown:1\n  f:\n    image: redis:7\n    user: root\n',
    });
    const up = brief(r, 'UP-001');
    expect(up).toHaveLength(3);
    expect(up[0]).toBe("UP-001 docker-compose.yml:15 [f] service f sets user: root, overriding the image's user");
    expect(up[1]).toMatch(/^UP-001 docker-compose.yml:3 \[a\] service a runs python:3.12, whose image runs as root \(docker-library\/python/);
    expect(up[2]).toMatch(/^UP-001 docker-compose.yml:8 \[c\] service c runs ollama\/ollama:0.5.7, whose image runs as root \(ollama\/ollama Dockerfile/);
  });

  it('does not report a missing curl for an image whose build installs it', () => {
    const hc = '    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8000/health"]\n';
    const compose = `services:\n  app:\n    build: .\n${hc}`;
    const installs = auditTree({
      'docker-compose.yml': compose,
      Dockerfile: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER 1001\n',
    });
    expect(brief(installs, 'HM-002')).toEqual([]);
    const lacks = auditTree({ 'docker-compose.yml': compose, Dockerfile: 'FROM python:3.12-slim\nUSER 1001\n' });
    expect(brief(lacks, 'HM-002')).toEqual(['HM-002 docker-compose.yml:4 [app] service app checks with curl, which python:3.12-slim does not have']);
  });

  it('reports a build.target the Dockerfile does not define, and judges its last stage meanwhile', () => {
    const r = auditTree({
      'compose.yaml': 'services:\n  web:\n    build:\n      context: app\n      target: builder\n',
      'app/Dockerfile': 'FROM python:3.12-alpine\nCMD ["python3"]\n',
    });
    expect(r.inputErrors).toEqual([
      { file: 'compose.yaml', line: 5, message: 'service web builds target builder, which app/Dockerfile does not define (stages: 0)' },
    ]);
    expect(brief(r, 'UP-001').map((f) => f.split(' ').slice(0, 3).join(' '))).toEqual(['UP-001 app/Dockerfile:1 [web]']);
  });

  it('finds a requests.get health check without raise_for_status weak (it passes on HTTP 500)', () => {
    const weak = auditTree({
      Dockerfile: 'FROM python:3.12-slim\nUSER 1001\nHEALTHCHECK CMD python -c "import requests; requests.get(\'http://localhost/\')"\n',
    });
    const strong = auditTree({
      Dockerfile: 'FROM python:3.12-slim\nUSER 1001\nHEALTHCHECK CMD python -c "import requests; requests.get(\'http://localhost/\').raise_for_status()"\n',
    });
    expect(brief(weak, 'HM-003')).toHaveLength(1);
    expect(brief(strong, 'HM-003')).toEqual([]);
  });
});
