/**
 * audit: speed on the shipped assets and on a 200-service compose file; alias and merge-key bombs rejected through
 * the real CLI (time and peak RSS; goal < 1 s and < 100 MB); precision and recall per label on the labelled corpus.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { aliasBomb, mergeBomb } from '../../packages/audit/src/test-helpers/bombs.ts';
import { type BenchContext, cli, median, root, type Suite, timeOnce } from './_util.ts';

function composeWith200Services(dir: string): void {
  const services = Array.from({ length: 200 }, (_, i) =>
    [
      `  svc${i}:`,
      '    <<: *defaults',
      `    image: registry.example.com/team/svc${i}:1.${i}`,
      '    ports:',
      `      - "${20000 + i}:8080"`,
      '    environment:',
      `      DB_PASSWORD: \${DB_PASSWORD_${i}:-password}`,
      `      LOG_LEVEL: info`,
    ].join('\n'),
  ).join('\n');
  writeFileSync(
    path.join(dir, 'docker-compose.yml'),
    `x-defaults: &defaults\n  restart: unless-stopped\n  read_only: true\n  deploy: { resources: { limits: { cpus: "0.5", memory: 256M } } }\nservices:\n${services}\n`,
  );
}

/** audit on the shipped assets and on a generated 200-service compose file (target: under 1 s), CLI and in-process. */
async function auditSpeed({ record }: BenchContext): Promise<void> {
  const { loadInput, runAudit } = await import('@promtior/audit');
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-audit-'));
  try {
    composeWith200Services(dir);
    for (const [id, label, target] of [
      ['assets', 'shipped assets', path.join(root, 'packages', 'docker-assets', 'assets')],
      ['compose-200', '200-service compose file', dir],
    ] as const) {
      const cliRuns: number[] = [];
      for (let i = 0; i < 5; i++) cliRuns.push(timeOnce([process.execPath, cli, '--', '-C', target, 'audit', '--format', 'json'], root));
      const inProcess: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = process.hrtime.bigint();
        runAudit(loadInput({ dir: target }));
        inProcess.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      const goal = id === 'compose-200' ? ` (target < 1000 ms: ${median(cliRuns) < 1000 ? 'met' : 'NOT met'})` : '';
      record({
        id: `audit.${id}.cli`,
        value: median(cliRuns),
        unit: 'ms',
        text: `audit ${label}: CLI median ${median(cliRuns).toFixed(0)} ms (start-up included)${goal}`,
      });
      record({ id: `audit.${id}.rules`, value: median(inProcess), unit: 'ms', text: `audit ${label}: rules alone median ${median(inProcess).toFixed(1)} ms` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bombs through the real CLI, timed and measured by GNU time (max RSS of the process tree). */
function bombs({ record }: BenchContext): void {
  for (const [id, label, text] of [
    ['alias-bomb', 'alias bomb', aliasBomb()],
    ['merge-bomb', 'merge-key bomb', mergeBomb()],
  ] as const) {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-bomb-'));
    try {
      writeFileSync(path.join(dir, 'docker-compose.yml'), text);
      const runs = Array.from({ length: 5 }, () => {
        const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, cli, '--', '-C', dir, 'audit', '--format', 'json'], {
          encoding: 'utf8',
          env: { ...process.env, CI: 'true' },
        });
        if (r.status !== 1 || !/expand the document past/.test(r.stdout))
          throw new Error(`the ${label} was not rejected as expected (exit ${r.status}):\n${r.stderr}`);
        const [seconds = 'NaN', kb = 'NaN'] = (r.stderr.trim().split('\n').at(-1) ?? '').split(' ');
        return { ms: Number(seconds) * 1000, mb: Number(kb) / 1024 };
      });
      const ms = median(runs.map((r) => r.ms));
      const mb = Math.max(...runs.map((r) => r.mb));
      const met = ms < 1000 && mb < 100 ? 'met' : 'NOT met';
      record({
        id: `audit.${id}.ms`,
        value: ms,
        unit: 'ms',
        text: `${label} (${text.length} bytes) rejected by the CLI: median ${ms.toFixed(0)} ms (goal < 1000 ms: ${met})`,
      });
      record({ id: `audit.${id}.rss`, value: mb, unit: 'MB', text: `${label}: peak RSS ${mb.toFixed(0)} MB over 5 runs (goal < 100 MB: ${met})` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Precision and recall per label on the hand-labelled corpus. Its files are public code fetched with the search
 * tool, which must stay out of our commits; where they are absent the figures are not measured, and it says so.
 */
async function corpusScores({ rt, record }: BenchContext): Promise<void> {
  const { loadInput, runAudit } = await import('@promtior/audit');
  const { corpusProblems, evaluate, formatMetrics, GOAL } = await import('../../packages/audit/src/corpus/evaluate.ts');
  const dir = path.join(root, 'packages', 'audit', 'corpus');
  const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8'));
  const missing = corpusProblems(dir, index);
  if (missing.length > 0) {
    rt.log(
      `audit corpus: NOT measured: ${missing.length} corpus files are absent here (${missing.slice(0, 2).join('; ')}...); index.json names each file's repository, path and commit`,
    );
    return;
  }
  const e = evaluate(index, (entry) => runAudit(loadInput({ dir: path.join(dir, 'files', entry.id) })));
  rt.log(`audit corpus: ${index.entries.length} entries, ${e.units} labelled services\n${formatMetrics(e)}`);
  for (const m of e.metrics) {
    const ok = m.precision >= GOAL && m.recall >= GOAL ? 'met' : 'NOT met';
    record({
      id: `audit.corpus.${m.label}.precision`,
      value: m.precision,
      unit: 'ratio',
      text: `corpus ${m.label}: precision ${m.precision.toFixed(2)} (${m.positives} positives; goal ${GOAL}: ${ok})`,
    });
    record({
      id: `audit.corpus.${m.label}.recall`,
      value: m.recall,
      unit: 'ratio',
      text: `corpus ${m.label}: recall ${m.recall.toFixed(2)} (${m.positives} positives; goal ${GOAL}: ${ok})`,
    });
  }
}

export const auditSuite: Suite = async (b) => {
  await auditSpeed(b);
  bombs(b);
  await corpusScores(b);
};
