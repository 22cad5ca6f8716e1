/**
 * The audit against the hand-labelled corpus of real public Dockerfiles and compose files (issue 15, item 5):
 * the index and the evaluator are tested here. The corpus files themselves are public code that stays out of our
 * commits (index.json says why), so the scores are a benchmark figure (`pnpm bench --suite audit`), not a test that
 * would be skipped wherever the files are absent.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CorpusIndex, evaluate } from './evaluate.ts';

export const CORPUS_DIR = path.resolve(import.meta.dirname, '..', '..', 'corpus');
const index = JSON.parse(readFileSync(path.join(CORPUS_DIR, 'index.json'), 'utf8')) as CorpusIndex;

describe('the labelled corpus', () => {
  it('records repository, path, commit and sha256 for at least 30 files', () => {
    const files = index.entries.flatMap((e) => e.files);
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const f of files) {
      expect(f.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(f.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe('evaluate', () => {
  it('counts hits, misses and false alarms per label and per secret, attributing findings to services', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corpus-'));
    mkdirSync(path.join(dir, 'files', 'e1'), { recursive: true });
    writeFileSync(path.join(dir, 'files', 'e1', 'compose.yaml'), 'services: {}\n');
    const mini: CorpusIndex = {
      entries: [
        {
          id: 'e1',
          files: [],
          units: {
            app: { root: true, health: 'none', secretNames: [], secretValues: ['DB_PASSWORD'], unpinned: false, noLimits: true },
            db: { root: false, health: 'present', secretNames: [], secretValues: [], unpinned: null, noLimits: true },
          },
        },
      ],
    };
    const e = evaluate(mini, () => ({
      findings: [
        { rule: 'UP-001', file: 'Dockerfile', message: 'no USER', services: ['app'] },
        { rule: 'UP-001', file: 'compose.yaml', message: 'service db sets user: root' },
        { rule: 'SM-007', file: 'compose.yaml', message: 'service app sets DB_PASSWORD to a literal', services: ['app'] },
        { rule: 'RL-001', file: 'compose.yaml', message: 'service app has no memory limit', services: ['app'] },
        { rule: 'BI-011', file: 'compose.yaml', message: 'service db uses postgres', services: ['db'] },
        { rule: 'HM-001', file: 'Dockerfile', message: 'the final stage has no HEALTHCHECK', services: ['Dockerfile'] },
      ],
    }));
    const by = Object.fromEntries(e.metrics.map((m) => [m.label, [m.tp, m.fp, m.fn]]));
    expect(by.root).toEqual([1, 1, 0]);
    expect(by.secretValues).toEqual([1, 0, 0]);
    expect(by.noLimits).toEqual([1, 0, 1]);
    expect(by.unpinned).toEqual([0, 0, 0]);
    expect(by['health:none']).toEqual([0, 0, 1]);
    expect(e.unattributed).toBe(1);
    expect(e.errors).toEqual(['e1 app health:none fn', 'e1 db root fp', 'e1 db noLimits fn']);
  });
});
