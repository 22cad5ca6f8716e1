/**
 * Golden --dry-run output of backup, restore and migrate, planned with fake facts (no engine): every docker and
 * compose command in order, the in-process steps as what they do, and the data flow. `UPDATE_GOLDEN=1` rewrites them.
 */
import { cpSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OFFLINE_IMAGES } from '@promtior/docker-assets';
import { describe, expect, it } from 'vitest';
import type { Facts } from '../facts/facts.ts';
import { fakeFacts } from '../facts/fake.ts';
import type { Task } from '../model/task.ts';
import { golden, normalizePlan } from '../run/golden.ts';
import { planOf } from '../run/plan-of.ts';
import { backup } from './backup.ts';
import { migrate } from './migrate.ts';
import { restore } from './restore.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../../../test/fixtures/team-repos');
const TASKS = path.resolve(import.meta.dirname, '..', '..');
const SHA = 'b'.repeat(64);
const OLD_ASSISTANT = {
  Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nEXPOSE 8000\nCMD ["python3", "-m", "app.main"]\n',
  'docker-compose.yml':
    'version: "3.8"\nservices:\n  ollama:\n    image: ollama/ollama:latest\n    ports:\n      - "11434:11434"\n    volumes:\n      - ollama:/root/.ollama\nvolumes:\n  ollama:\n',
  Makefile: 'docker-build:\n\tdocker build -t promtior-assistant:latest .\n',
  '.env': 'ADMIN_REINGEST_KEY=golden-admin-key-0123456789abcdef\n',
  'pyproject.toml': '[project]\nname = "assistant"\nversion = "0.1.0"\ndependencies = []\n\n[project.optional-dependencies]\ndev = []\n',
  'src/app/main.py': 'print("app")\n',
};
const withHelper = fakeFacts({
  images: { byRef: { [OFFLINE_IMAGES.PYTHON_IMAGE]: 'sha256:p' } },
  volumes: { byName: { shop_data: { project: 'shop' }, other_data: { project: 'other' } } },
});
const offline = fakeFacts({ docker: { daemon: { ok: false, host: 'unix:///var/run/docker.sock', error: 'Cannot connect' } } });

interface Case {
  name: string;
  task: Task;
  options?: Record<string, unknown>;
  facts?: Facts;
  /** Builds the project folder; returns it. */
  make: () => string;
}

function folder(files: Record<string, string>, name = 'shop'): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'golden-data-'))), name);
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), t);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

function fixture(shape: string): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'golden-data-'))), shape);
  cpSync(path.join(CORPUS, shape), dir, { recursive: true });
  return dir;
}

function withBackup(): string {
  const dir = folder({ '.env': 'A=1\n' });
  const id = '20260101T000000Z';
  mkdirSync(path.join(dir, '.backups', id, 'files'), { recursive: true });
  const volume = { name: 'shop_data', file: 'volumes/shop_data.tar', size: 10, sha256: SHA, contentSha256: SHA, files: 1 };
  const manifest = {
    version: 1,
    id,
    createdAt: '2026-01-01T00:00:00.000Z',
    task: 'backup',
    project: 'shop',
    files: [{ path: '.env', size: 4, sha256: SHA, mode: 384 }],
    volumes: [volume],
  };
  writeFileSync(path.join(dir, '.backups', id, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

const CASES: Case[] = [
  { name: 'backup', task: backup, make: () => folder({ '.env': 'A=1\n', Dockerfile: 'FROM x\n' }) },
  { name: 'backup.volumes', task: backup, options: { volumes: true }, facts: withHelper, make: () => folder({ '.env': 'A=1\n' }) },
  { name: 'restore', task: restore, options: { id: '20260101T000000Z' }, facts: withHelper, make: withBackup },
  { name: 'restore.files', task: restore, options: { id: '20260101T000000Z', files: true }, make: withBackup },
  { name: 'migrate.assistant', task: migrate, make: () => folder(OLD_ASSISTANT) },
  { name: 'migrate.team-db-volume', task: migrate, make: () => fixture('db-volume') },
  { name: 'migrate.team-worker.no-engine', task: migrate, facts: offline, make: () => fixture('worker') },
  { name: 'migrate.needs-you', task: migrate, options: { build: false }, make: () => fixture('needs-you') },
  {
    name: 'migrate.rollback',
    task: migrate,
    options: { rollback: true },
    make: () => {
      const dir = fixture('db-volume');
      mkdirSync(path.join(dir, '.backups'));
      writeFileSync(
        path.join(dir, '.backups', 'migrate.json'),
        JSON.stringify({ status: 'done', backupId: '20260101T000000Z', strategy: 'replace', at: '', entries: [] }),
      );
      return dir;
    },
  },
];

async function dryRun(c: Case, dir = c.make()): Promise<string> {
  const r = await planOf(c.task, c.options ?? {}, { cwd: dir, facts: c.facts, tasks: [] });
  // Node and the package first: a checkout under the temp folder would otherwise read <tmp>/... (normalizePlan).
  const text = `${r.lines.join('\n')}\n`.split(process.execPath).join('<node>').split(TASKS).join('<tasks>');
  return normalizePlan(text, dir);
}

describe('golden dry-runs of backup, restore and migrate (fake facts, no engine)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const text = await dryRun(c);
    expect(text).toBe(golden(path.join(import.meta.dirname, '__golden__', `${name}.txt`), text));
    expect(text).not.toContain('golden-admin-key-0123456789abcdef');
  });

  it('two dry-runs of the same inputs are byte-identical', async () => {
    for (const c of CASES) {
      const dir = c.make();
      expect(await dryRun(c, dir), c.name).toBe(await dryRun(c, dir));
    }
  });
});
