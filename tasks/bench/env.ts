/**
 * env: env-check through the real CLI on generated 5 MB .env files (target: under 1 s and 100 MB peak RSS).
 * "typical" scales up what real files hold (comments, URLs built with ${...}, quoted and multi-line values, JSON,
 * export); "noisy" is a file where every line draws a warning (typos, duplicates, unset references, a "#" that
 * dotenv cuts), so the capped report and its counts are measured too. Both pass, so the check runs to the end.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, runWithPeakRss, type Suite } from './_util.ts';

const SIZE = 5 * 1024 * 1024;
const HEADER = 'ADMIN_REINGEST_KEY=bench-admin-key-0123456789abcdef\nAPP_PORT=8000\n\n';
const CERT = `"-----BEGIN CERTIFICATE-----\n${Array.from({ length: 20 }, (_, i) => `MIIB${String(i).padStart(60, 'x')}`).join('\n')}\n-----END CERTIFICATE-----"`;

function typicalBlock(i: number): string {
  return [
    `# service ${i}`,
    `SERVICE_${i}_HOST=service-${i}.internal`,
    `SERVICE_${i}_PORT=${1024 + (i % 60000)}`,
    `SERVICE_${i}_URL=http://\${SERVICE_${i}_HOST}:\${SERVICE_${i}_PORT}/api`,
    `SERVICE_${i}_NAME="Service number ${i}"`,
    `SERVICE_${i}_NOTE='literal $value with # hash'`,
    `export SERVICE_${i}_ENABLED=true`,
    `SERVICE_${i}_JSON={"id": ${i}, "tags": ["a", "b"]}`,
    ...(i % 40 === 0 ? [`SERVICE_${i}_CERT=${CERT}`] : []),
    '',
  ].join('\n');
}

function noisyBlock(i: number): string {
  return [`APP_PROT=${i}`, `OLLAMA_MODL=m${i}`, `URL_${i}=http://$UNSET_${i}/x`, `PASS_${i}=abc#${i}`, `DUP=${i}`, ''].join('\n');
}

function generate(file: string, block: (i: number) => string): { lines: number } {
  const parts = [HEADER];
  let size = HEADER.length;
  for (let i = 0; size < SIZE; i++) {
    const b = block(i);
    parts.push(b);
    size += b.length;
  }
  const text = parts.join('');
  writeFileSync(file, text);
  return { lines: text.split('\n').length };
}

export const envSuite: Suite = async ({ rt, record }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-env-'));
  try {
    // The same command on a two-line file: what the CLI itself takes, for reading the figures below.
    writeFileSync(path.join(dir, 'tiny.env'), HEADER);
    const tiny = [];
    for (let i = 0; i < 5; i++) tiny.push(await runWithPeakRss(['env-check', '--env-file', path.join(dir, 'tiny.env')], dir));
    const base = { ms: median(tiny.map((r) => r.ms)), mb: median(tiny.map((r) => r.peakMb)) };
    record({
      id: 'env.check-tiny-ms',
      value: base.ms,
      unit: 'ms',
      text: `env-check on a two-line .env: median ${base.ms.toFixed(0)} ms (the CLI's own start-up and exit)`,
    });
    record({
      id: 'env.check-tiny-rss',
      value: base.mb,
      unit: 'MB',
      text: `env-check on a two-line .env: median peak RSS ${base.mb.toFixed(0)} MB (the CLI's own)`,
    });
    for (const [name, block] of [
      ['typical', typicalBlock],
      ['noisy', noisyBlock],
    ] as const) {
      const file = path.join(dir, `${name}.env`);
      const { lines } = generate(file, block);
      const runs = [];
      for (let i = 0; i < 5; i++) runs.push(await runWithPeakRss(['env-check', '--env-file', file], dir));
      const ms = median(runs.map((r) => r.ms));
      const mb = median(runs.map((r) => r.peakMb));
      const met = ms < 1000 && mb < 100 ? 'met' : 'NOT met';
      const what = `env-check on a generated 5 MB .env (${name}, ${lines.toLocaleString('en-US')} lines)`;
      record({
        id: `env.check-5mb-${name}-ms`,
        value: ms,
        unit: 'ms',
        text: `${what}: median ${ms.toFixed(0)} ms over 5 runs, ${(ms - base.ms).toFixed(0)} ms more than a two-line file (target < 1000 ms)`,
      });
      record({
        id: `env.check-5mb-${name}-rss`,
        value: mb,
        unit: 'MB',
        text: `${what}: median peak RSS ${mb.toFixed(0)} MB, ${(mb - base.mb).toFixed(0)} MB more than a two-line file (target < 100 MB)`,
      });
      rt.log(`env ${name}: ${ms.toFixed(0)} ms, ${mb.toFixed(0)} MB peak RSS: target ${met}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
