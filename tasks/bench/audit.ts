/** audit: speed on the shipped assets and on a 200-service compose file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunContext } from '@promtior/tasks';
import { median, root, type Suite, timeOnce } from './_util.ts';

/** audit on the shipped assets and on a generated 200-service compose file (target: under 1 s), CLI and in-process. */
async function auditSpeed(rt: RunContext): Promise<void> {
  const { loadInput, runAudit } = await import('@promtior/audit');
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-audit-'));
  try {
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
    for (const [label, target] of [
      ['shipped assets', path.join(root, 'packages', 'docker-assets', 'assets')],
      ['200-service compose file', dir],
    ] as const) {
      const cli: number[] = [];
      for (let i = 0; i < 5; i++)
        cli.push(timeOnce([process.execPath, path.join(root, 'packages', 'tasks', 'bin', 'task.js'), '--', '-C', target, 'audit', '--format', 'json'], root));
      const inProcess: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = process.hrtime.bigint();
        runAudit(loadInput({ dir: target }));
        inProcess.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      rt.log(
        `audit ${label}: CLI median ${median(cli).toFixed(0)} ms (start-up included); rules alone median ${median(inProcess).toFixed(1)} ms${label.startsWith('200') ? ` (target < 1000 ms: ${median(cli) < 1000 ? 'met' : 'NOT met'})` : ''}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const auditSuite: Suite = ({ rt }) => auditSpeed(rt);
