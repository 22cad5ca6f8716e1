import { describe, expect, it } from 'vitest';
import { runAudit } from '../audit.ts';
import type { AuditInput } from '../model.ts';
import { loadCompose } from '../parse/compose.ts';
import { parseDockerfile } from '../parse/dockerfile.ts';
import { parseDockerignore } from '../parse/dockerignore.ts';
import { ALL_RULES } from './all.ts';

interface Case {
  dockerfile?: string;
  compose?: string;
  dockerignore?: string;
}

const IGNORE = '.env\n.env.*\n!.env.example\n.git\n*.pem\n*.key\nid_rsa*\n.venv\n';
const GOOD_DF = `FROM python:3.12-slim AS base
WORKDIR /app
FROM base AS production
RUN groupadd -g 1001 app && useradd -l -u 1001 -g app app
COPY --chown=1001:1001 src/ ./src/
USER 1001:1001
HEALTHCHECK CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"]
CMD ["python3", "-m", "app"]
`;
const svc = (extra = '') => `services:
  app:
    build: { context: ., target: production }
    image: app:1.0
    restart: unless-stopped
    read_only: true
    security_opt: ["no-new-privileges:true"]
    cap_drop: [ALL]
    networks: [net]
    deploy: { resources: { limits: { cpus: "1", memory: 1G, pids: 100 } } }
    logging: { options: { max-size: 10m } }
${extra}networks:
  net: {}
`;

function findings(c: Case, rule: string): string[] {
  const input: AuditInput = {
    dir: '/repo',
    dockerfiles: c.dockerfile !== undefined ? [parseDockerfile('Dockerfile', c.dockerfile)] : [],
    compose: c.compose !== undefined ? loadCompose([{ file: 'docker-compose.yml', text: c.compose }], {}) : undefined,
    dockerignore: c.dockerignore !== undefined ? parseDockerignore('.dockerignore', c.dockerignore) : undefined,
    contextFiles: [],
  };
  return runAudit(
    input,
    {},
    ALL_RULES.filter((r) => r.id === rule),
  ).findings.map((f) => `${f.file}:${f.line} ${f.message}`);
}

/** For every rule: a snippet that must trigger it and a close one that must not. */
const CASES: Record<string, { fail: Case; pass: Case }> = {
  'UP-001': {
    fail: { dockerfile: 'FROM python:3.12-slim AS build\nUSER 1001\nFROM python:3.12-slim\nCOPY --from=build /x /x\n' },
    pass: { dockerfile: GOOD_DF },
  },
  'UP-002': { fail: { dockerfile: 'FROM python:3.12-slim\nUSER appuser\n' }, pass: { dockerfile: 'FROM python:3.12-slim\nUSER 1001:1001\n' } },
  'UP-003': {
    fail: { dockerfile: 'FROM debian:12\nRUN useradd -u 100000 app\n' },
    pass: { dockerfile: 'FROM debian:12\nRUN useradd --no-log-init -u 100000 app\n' },
  },
  'UP-004': { fail: { dockerfile: 'FROM debian:12\nRUN sudo apt-get update\n' }, pass: { dockerfile: 'FROM debian:12\nRUN apt-get update\n' } },
  'UP-005': { fail: { dockerfile: 'FROM debian:12\nCOPY . /app\nRUN chown -R app /app\n' }, pass: { dockerfile: 'FROM debian:12\nCOPY --chown=app . /app\n' } },
  'UP-006': { fail: { compose: svc('    privileged: true\n') }, pass: { compose: svc() } },
  'UP-007': { fail: { compose: 'services:\n  app:\n    image: a:1\n' }, pass: { compose: svc() } },
  'UP-008': { fail: { compose: svc('    cap_add: [SYS_ADMIN]\n') }, pass: { compose: svc('    cap_add: [NET_BIND_SERVICE]\n') } },
  'UP-009': { fail: { compose: svc('    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n') }, pass: { compose: svc('    volumes: ["data:/data"]\n') } },
  'UP-010': { fail: { compose: svc('    userns_mode: host\n') }, pass: { compose: svc() } },
  'UP-011': { fail: { compose: 'services:\n  app:\n    image: a:1\n' }, pass: { compose: svc() } },
  'SM-001': { fail: { dockerfile: 'FROM debian:12\nARG NPM_TOKEN\n' }, pass: { dockerfile: 'FROM debian:12\nARG NPM_TOKEN_FILE\nARG APP_PORT=8000\n' } },
  'SM-002': {
    fail: { dockerfile: 'FROM debian:12\nENV DATABASE_URL=postgresql://admin:hunter22@db/app\n' },
    pass: { dockerfile: 'FROM debian:12\nENV DATABASE_URL=postgresql://db/app\n' },
  },
  'SM-003': {
    fail: { dockerfile: 'FROM debian:12\nARG GITHUB_TOKEN\nENV GIT_PAT=${GITHUB_TOKEN}\n' },
    pass: { dockerfile: 'FROM debian:12\nARG APP_PORT\nENV PORT=${APP_PORT}\n' },
  },
  'SM-004': {
    fail: { dockerfile: 'FROM node:22\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci\n' },
    pass: { dockerfile: 'FROM node:22\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n' },
  },
  'SM-005': { fail: { dockerfile: 'FROM python:3.12-slim\nCOPY . .\n' }, pass: { dockerfile: 'FROM python:3.12-slim\nCOPY . .\n', dockerignore: IGNORE } },
  'SM-006': { fail: { dockerfile: 'FROM debian:12\nCOPY .env /app/.env\n' }, pass: { dockerfile: 'FROM debian:12\nCOPY .env.example /app/.env.example\n' } },
  'SM-007': {
    fail: { compose: svc('    environment:\n      DB_PASSWORD: hunter2hunter2\n') },
    pass: { compose: svc('    environment:\n      DB_PASSWORD: ${DB_PASSWORD:?set it}\n') },
  },
  'SM-008': {
    fail: { compose: 'services:\n  app:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: ${NPM_TOKEN}\n' },
    pass: { compose: 'services:\n  app:\n    build:\n      context: .\n      args:\n        APP_PORT: "8000"\n' },
  },
  'SM-009': {
    fail: { compose: svc('    environment:\n      DB_PASSWORD: ${DB_PASSWORD:-password}\n') },
    pass: { compose: svc('    environment:\n      DB_PASSWORD: ${DB_PASSWORD:?required}\n') },
  },
  'BI-001': { fail: { dockerfile: 'FROM python\n' }, pass: { dockerfile: 'FROM python:3.12-slim\n' } },
  'BI-002': { fail: { dockerfile: 'FROM node:lts\n' }, pass: { dockerfile: 'FROM node:22-slim\n' } },
  'BI-003': { fail: { dockerfile: 'FROM python:3.12-slim\n' }, pass: { dockerfile: `FROM python:3.12-slim@sha256:${'a'.repeat(64)}\n` } },
  'BI-004': { fail: { dockerfile: 'FROM python:3.8-slim\n' }, pass: { dockerfile: 'FROM python:3.12-slim\n' } },
  'BI-005': {
    fail: { dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n' },
    pass: { dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n' },
  },
  'BI-006': {
    fail: { dockerfile: 'FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n' },
    pass: { dockerfile: 'FROM debian:12\nRUN apt-get update\n' },
  },
  'BI-007': {
    fail: { dockerfile: 'FROM debian:12\nADD https://example.com/x.tgz /opt/\n' },
    pass: { dockerfile: 'FROM debian:12\nADD --checksum=sha256:abc https://example.com/x.tgz /opt/\n' },
  },
  'BI-008': {
    fail: { dockerfile: 'FROM debian:12\nRUN curl -k https://example.com/x -o x\n' },
    pass: { dockerfile: 'FROM debian:12\nRUN curl -fsSL https://example.com/x -o x\n' },
  },
  'BI-009': {
    fail: { dockerfile: 'FROM debian:12\nRUN curl -fsSL https://get.example.sh | sh\n' },
    pass: { dockerfile: 'FROM debian:12\nRUN curl -fsSLo i.sh https://get.example.sh && sha256sum -c i.sha && sh i.sh\n' },
  },
  'BI-010': {
    fail: { dockerfile: 'FROM debian:12\nCOPY --from=gloursdocker/docker /x /x\n' },
    pass: { dockerfile: 'FROM debian:12 AS b\nFROM debian:12\nCOPY --from=b /x /x\n' },
  },
  'BI-011': {
    fail: { compose: 'services:\n  ollama:\n    image: ollama/ollama:latest\n' },
    pass: { compose: 'services:\n  ollama:\n    image: ollama/ollama:0.5.7\n' },
  },
  'AS-001': {
    fail: { dockerfile: 'FROM debian:12\nRUN apt-get install -y curl\n' },
    pass: { dockerfile: 'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n' },
  },
  'AS-002': {
    fail: { dockerfile: 'FROM python:3.12-slim\nRUN pip install flask==3.0.3\n' },
    pass: { dockerfile: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache pip install flask==3.0.3\n' },
  },
  'AS-003': { fail: { dockerfile: 'FROM debian:12\nRUN apt-get install -y vim\n' }, pass: { dockerfile: 'FROM debian:12\nRUN apt-get install -y tini\n' } },
  'AS-004': { fail: { dockerfile: 'FROM debian:12\nEXPOSE 22\n' }, pass: { dockerfile: 'FROM debian:12\nEXPOSE 8000\n' } },
  'AS-005': {
    fail: { compose: 'services:\n  ollama:\n    image: o:1\n    ports: ["11434:11434"]\n' },
    pass: { compose: 'services:\n  ollama:\n    image: o:1\n    ports: ["127.0.0.1:11434:11434"]\n' },
  },
  'AS-006': { fail: { compose: svc('    network_mode: host\n') }, pass: { compose: svc() } },
  'AS-007': { fail: { compose: 'services:\n  app:\n    image: a:1\n    security_opt: ["seccomp:unconfined"]\n' }, pass: { compose: svc() } },
  'AS-008': {
    fail: { compose: svc('    command: uvicorn app:app --reload\n    volumes: ["./src:/app/src"]\n') },
    pass: { compose: svc('    command: uvicorn app:app\n') },
  },
  'AS-009': { fail: { compose: 'services:\n  app:\n    image: a:1\n' }, pass: { compose: svc() } },
  'AS-010': {
    fail: { dockerfile: 'FROM python:3.12-slim\nRUN apt-get install -y build-essential && pip install --no-cache-dir -r req.txt\n' },
    pass: { dockerfile: GOOD_DF },
  },
  'AS-011': {
    fail: { compose: 'services:\n  a:\n    image: a:1\n  b:\n    image: b:1\n' },
    pass: { compose: 'services:\n  a:\n    image: a:1\n    networks: [n]\n  b:\n    image: b:1\n    networks: [n]\nnetworks:\n  n: {}\n' },
  },
  'HM-001': { fail: { dockerfile: 'FROM python:3.12-slim\nCMD ["python3"]\n' }, pass: { dockerfile: GOOD_DF } },
  'HM-002': {
    fail: { compose: 'services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:11434"]\n' },
    pass: { compose: 'services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    healthcheck:\n      test: ["CMD", "ollama", "list"]\n' },
  },
  'HM-003': {
    fail: { dockerfile: 'FROM node:22\nHEALTHCHECK CMD curl http://localhost:3000/ || exit 1\n' },
    pass: { dockerfile: 'FROM node:22\nHEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1\n' },
  },
  'HM-004': {
    fail: { compose: 'services:\n  app:\n    image: a:1\n    healthcheck:\n      disable: true\n' },
    pass: { compose: 'services:\n  app:\n    image: a:1\n    healthcheck:\n      test: ["CMD", "true"]\n' },
  },
  'HM-005': {
    fail: { compose: 'services:\n  app:\n    image: a:1\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16\n' },
    pass: {
      compose:
        'services:\n  app:\n    image: a:1\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n',
    },
  },
  'HM-006': {
    fail: {
      compose: 'services:\n  app:\n    image: a:1\n    depends_on: [db]\n  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n',
    },
    pass: {
      compose:
        'services:\n  app:\n    image: a:1\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n',
    },
  },
  'HM-007': {
    fail: { dockerfile: 'FROM python:3.12-slim\nCMD python3 -m app\n' },
    pass: { dockerfile: 'FROM python:3.12-slim\nCMD ["python3", "-m", "app"]\n' },
  },
  'HM-008': { fail: { dockerfile: 'FROM python:3.12-slim\nCMD ["a"]\nCMD ["b"]\n' }, pass: { dockerfile: 'FROM python:3.12-slim\nCMD ["b"]\n' } },
  'HM-009': { fail: { compose: 'services:\n  app:\n    image: a:1\n' }, pass: { compose: svc() } },
  'RL-001': { fail: { compose: 'services:\n  ollama:\n    image: o:1\n' }, pass: { compose: svc() } },
  'RL-002': { fail: { compose: 'services:\n  ollama:\n    image: o:1\n    deploy: { resources: { limits: { memory: 16G } } }\n' }, pass: { compose: svc() } },
  'RL-003': { fail: { compose: 'services:\n  app:\n    image: a:1\n' }, pass: { compose: svc() } },
  'RL-004': {
    fail: { compose: 'services:\n  ollama:\n    image: o:1\n    deploy: { resources: { reservations: { memory: 8G } } }\n' },
    pass: { compose: 'services:\n  ollama:\n    image: o:1\n    deploy: { resources: { limits: { memory: 16G }, reservations: { memory: 8G } } }\n' },
  },
  'RL-005': { fail: { compose: 'services:\n  app:\n    image: a:1\n' }, pass: { compose: svc() } },
};

describe('every audit rule', () => {
  it('has a failing and a passing snippet here', () => {
    expect(ALL_RULES.map((r) => r.id).filter((id) => !CASES[id])).toEqual([]);
    expect(ALL_RULES.length).toBeGreaterThanOrEqual(40);
  });

  for (const r of ALL_RULES) {
    const c = CASES[r.id];
    if (!c) continue;
    it(`${r.id} ${r.title}: fires on the failing snippet`, () => {
      expect(findings(c.fail, r.id).length).toBeGreaterThan(0);
    });
    it(`${r.id} ${r.title}: stays quiet on the passing one`, () => {
      expect(findings(c.pass, r.id)).toEqual([]);
    });
  }
});
