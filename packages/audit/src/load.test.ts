import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInput, runAudit } from './audit.ts';
import { AuditInputError } from './errors.ts';
import { auditTree, brief, tree } from './test-helpers/tree.ts';

describe('discovery (issue 15, item 2)', () => {
  it('finds Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, compose by its own names, and the build contexts', () => {
    const r = auditTree({
      Dockerfile: 'FROM python:3.12-slim\n',
      'Dockerfile.dev': 'FROM python:3.12-slim\n',
      'web.Dockerfile': 'FROM node:22\n',
      'api.dockerfile': 'FROM node:22\n',
      'compose.yaml': 'services:\n  svc:\n    build: ./services/svc\n',
      'compose.override.yaml': 'services:\n  svc:\n    restart: always\n',
      'services/svc/Dockerfile': 'FROM golang:1.23\n',
      'services/svc/tools.Dockerfile': 'FROM golang:1.23\n',
      'notes.md': 'FROM x\n',
      'Dockerfile.dockerignore': '.env\n',
    });
    expect(r.files).toEqual([
      'Dockerfile',
      'Dockerfile.dev',
      'api.dockerfile',
      'web.Dockerfile',
      'services/svc/Dockerfile',
      'services/svc/tools.Dockerfile',
      'compose.yaml',
      'compose.override.yaml',
      'Dockerfile.dockerignore',
    ]);
  });

  it("uses the .dockerignore of each build context (or the Dockerfile's own), as Docker picks it", () => {
    const r = auditTree({
      'docker-compose.yml': 'services:\n  a:\n    build: ./a\n  b:\n    build: ./b\n',
      'a/Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nUSER 1001\n',
      'a/.dockerignore': '.env\n.env.*\n!.env.example\n.git\n*.pem\n*.key\nid_rsa*\n.venv\n',
      'b/Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nUSER 1001\n',
    });
    expect(brief(r, 'SM-005')).toEqual(['SM-005 b/Dockerfile:2 [b] COPY . . with no .dockerignore: everything in the folder goes in']);
  });
});

describe('input the audit cannot read (issue 9, items 8 and 13)', () => {
  it('makes an empty, binary or unparseable file a critical AUDIT-000 finding, listed in inputErrors', () => {
    for (const [files, message] of [
      [{ Dockerfile: '' }, 'the file cannot be audited: the file is empty'],
      [{ Dockerfile: '\u0000\u0001\u0002ELF' }, 'the file cannot be audited: the file is binary, not a Dockerfile'],
      [{ 'docker-compose.yml': 'services:\n  app:\n   image: [x\n' }, /the file cannot be audited: /],
      [{ 'docker-compose.yml': '- just\n- a list\n' }, 'the file cannot be audited: the file is not a mapping of top-level keys (services:, volumes:, ...)'],
    ] as const) {
      const r = auditTree(files as Record<string, string>);
      const f = r.findings.find((x) => x.rule === 'AUDIT-000');
      expect(f?.severity).toBe('critical');
      expect(f?.message).toMatch(message);
      expect(r.inputErrors).toHaveLength(1);
    }
  });

  it('reports an unreadable file instead of crashing', () => {
    const dir = tree({ Dockerfile: 'FROM python:3.12-slim\n' });
    chmodSync(path.join(dir, 'Dockerfile'), 0o000);
    const r = runAudit(loadInput({ dir }));
    // root reads anything: the case only shows for other users.
    if (process.getuid?.() !== 0) expect(r.inputErrors[0]?.message).toBe('the file cannot be read (EACCES)');
    else expect(r.inputErrors).toEqual([]);
  });

  it('throws AuditInputError for a Dockerfile path that is a folder or missing', () => {
    const dir = tree({ 'docker/Dockerfile': 'FROM x:1\n' });
    mkdirSync(path.join(dir, 'empty'));
    expect(() => loadInput({ dir, dockerfiles: ['docker'] })).toThrow(AuditInputError);
    expect(() => loadInput({ dir, dockerfiles: ['docker'] })).toThrow(/the Dockerfile docker is a folder, not a file .*docker\/Dockerfile/);
    expect(() => loadInput({ dir, dockerfiles: ['nope'] })).toThrow(/the Dockerfile nope does not exist/);
  });

  it('reports a build context whose Dockerfile is missing', () => {
    const r = auditTree({ 'docker-compose.yml': 'services:\n  app:\n    build: ./app\n' });
    expect(r.inputErrors).toEqual([{ file: 'docker-compose.yml', line: 3, message: 'service app builds from app/Dockerfile, which does not exist' }]);
  });
});

describe('scores (issue 15, item 4)', () => {
  it('says "not applicable" for resource limits when only a Dockerfile is audited, instead of taking 5 points', () => {
    const r = auditTree({ Dockerfile: 'FROM python:3.12-slim\nUSER 1001\nHEALTHCHECK CMD ["python3", "-c", "1"]\nCMD ["python3"]\n' });
    expect(r.score.notApplicable).toEqual(['resource-limits']);
    expect(r.score.categories['resource-limits']).toBe(10);
    expect(brief(r, 'RL-001')).toEqual([]);
  });

  it('flags floating variant tags (alpine, slim) as well as latest, but not a Debian codename on debian', () => {
    const r = auditTree({
      Dockerfile: 'FROM python:alpine AS a\nFROM node:slim AS b\nFROM debian:bookworm-slim AS c\nFROM python:3.12-alpine AS d\nFROM python:slim-bookworm\n',
      'docker-compose.yml': 'services:\n  x:\n    image: redis:alpine\n  y:\n    image: redis:7-alpine\n',
    });
    expect(brief(r, 'BI-002', 'BI-011').map((f) => f.split(' ').slice(0, 2).join(' '))).toEqual([
      'BI-002 Dockerfile:1',
      'BI-002 Dockerfile:2',
      'BI-002 Dockerfile:5',
      'BI-011 docker-compose.yml:3',
    ]);
  });
});

// Moved from test/audit.test.ts, where each ran the CLI (audit --format json) to read the same report: the CLI's
// share (JSON, SARIF, table, ignores, exit codes) stays there.
describe('findings across files', () => {
  it('finds the root user of the stage compose builds, and a compose user: override', () => {
    const files = {
      Dockerfile: 'FROM python:3.12-slim AS dev\nUSER 1001\nFROM python:3.12-slim AS prod\nCMD ["python3"]\n',
      'docker-compose.yml': 'services:\n  app:\n    build: { context: ., target: dev }\n    user: root\n',
    };
    expect(
      auditTree(files)
        .findings.filter((f) => f.rule === 'UP-001')
        .map((f) => f.message),
    ).toEqual(["service app sets user: root, overriding the image's user"]);
    const prod = auditTree({ ...files, 'docker-compose.yml': 'services:\n  app:\n    build: { context: ., target: prod }\n' });
    expect(prod.findings.filter((f) => f.rule === 'UP-001')[0]).toMatchObject({ file: 'Dockerfile', line: 3 });
  });

  it('reads YAML anchors, merge keys, ${VAR:-default} and override files in order, with file:line', () => {
    const r = auditTree({
      'docker-compose.yml': 'x-base: &base\n  restart: unless-stopped\n  image: ollama/ollama:${OLLAMA_TAG:-latest}\nservices:\n  ollama:\n    <<: *base\n',
      'docker-compose.override.yml': 'services:\n  ollama:\n    privileged: true\n',
    });
    expect(r.findings.find((f) => f.rule === 'BI-011')?.message).toBe('service ollama uses ollama/ollama:latest');
    expect(r.findings.find((f) => f.rule === 'UP-006')).toMatchObject({ file: 'docker-compose.override.yml', line: 3 });
    expect(r.findings.some((f) => f.rule === 'HM-009')).toBe(false);
  });
});
